/** Sends a Reply as an ephemeral message only the user sees, from the app's bot user. */
import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Reply } from './reply';

/** The action id of the link button on the app's messages (Rocket.Chat still sends a block action for URL buttons). */
export const OPEN_LINK_ACTION_ID = 'hrm-open-link';

/**
 * A room known only by id (kept with a pending login). Rocket.Chat resolves the message's
 * room by id alone, and reading the full room would need the extra room.read permission.
 */
export function roomById(id: string): IRoom {
    return { id } as IRoom;
}

export async function notifyUser(read: IRead, modify: IModify, user: IUser, room: IRoom | undefined, message: Reply): Promise<void> {
    const sender = await read.getUserReader().getAppUser();
    const builder = modify.getNotifier().getMessageBuilder().setText(message.text).setGroupable(false);
    if (sender) {
        builder.setSender(sender);
    }
    if (room) {
        builder.setRoom(room);
    }
    if (message.button || message.image) {
        const blocks = modify.getCreator().getBlockBuilder();
        blocks.addSectionBlock({
            text: blocks.newMarkdownTextObject(message.text),
            ...(message.image ? { accessory: blocks.newImageElement({ imageUrl: message.image.url, altText: message.image.alt }) } : {}),
        });
        if (message.button) {
            blocks.addActionsBlock({
                elements: [blocks.newButtonElement({ text: blocks.newPlainTextObject(message.button.label), url: message.button.url, actionId: OPEN_LINK_ACTION_ID })],
            });
        }
        builder.setBlocks(blocks);
    }
    await modify.getNotifier().notifyUser(user, builder.getMessage());
}
