/**
 * Shows a Reply to the user who asked: a colleague card opens as a modal when the
 * interaction carries a triggerId (Rocket.Chat only opens surfaces in answer to a user's
 * action); everything else, and a card whose surface could not be opened, is an ephemeral message.
 */
import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { cardSurface } from '../surfaces/cardSurface';
import { notifyUser } from './notify';
import { Reply } from './reply';

export async function deliverReply(read: IRead, modify: IModify, user: IUser, room: IRoom | undefined, answer: Reply, triggerId: string | undefined, onSurfaceError: (error: unknown) => void): Promise<void> {
    if (answer.card && triggerId) {
        try {
            await modify.getUiController().openSurfaceView(cardSurface(answer.card, answer.lang), { triggerId }, user);
            return;
        } catch (error) {
            onSurfaceError(error);
        }
    }
    await notifyUser(read, modify, user, room, answer);
}
