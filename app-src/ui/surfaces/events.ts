/**
 * Every UI event the app can receive answers something: the colleague card's Close (view
 * closed), a submit of a view the app opened, the link button on its messages (block action),
 * and any other view or action id (a stale client, another app's payload, a crafted request).
 * Out of process a missing handler makes the runtime answer `methodNotFound`; here every event
 * gets a success response, and an unknown id also gets one clear ephemeral sentence.
 */
import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import {
    IUIKitResponse,
    UIKitBlockInteractionContext,
    UIKitViewCloseInteractionContext,
    UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmServices } from '../../core/context';
import { t, userLanguage } from '../i18n/translate';
import { notifyUser, OPEN_LINK_ACTION_ID } from '../messages/notify';
import { reply } from '../messages/reply';
import { CARD_CLOSE_ACTION_ID, CARD_VIEW_ID } from './cardSurface';

/** View ids the app opens. */
const KNOWN_VIEWS = new Set([CARD_VIEW_ID]);
/** Block action ids the app puts on messages and surfaces (URL buttons still send an action). */
const KNOWN_ACTIONS = new Set([OPEN_LINK_ACTION_ID, CARD_CLOSE_ACTION_ID]);

function safeId(id: unknown): string {
    return typeof id === 'string' ? id.replace(/[^\w.:-]/g, '').slice(0, 60) : '';
}

export async function tellUnknown(services: HrmServices, read: IRead, modify: IModify, user: IUser | undefined, room: IRoom | undefined, what: string): Promise<void> {
    services.logger().warn(`Ignored a UI event for an unknown ${what}.`);
    if (!user || !room) {
        return;
    }
    try {
        await notifyUser(read, modify, user, room, reply(t(userLanguage(user), 'ui-unknown-event')));
    } catch {
        services.logger().warn(`Could not tell user ${user.id} about an unknown UI event.`);
    }
}

export async function handleBlockAction(services: HrmServices, context: UIKitBlockInteractionContext, read: IRead, modify: IModify): Promise<IUIKitResponse> {
    const data = context.getInteractionData();
    if (!KNOWN_ACTIONS.has(data.actionId)) {
        await tellUnknown(services, read, modify, data.user, data.room, `action "${safeId(data.actionId)}"`);
    }
    return context.getInteractionResponder().successResponse();
}

export async function handleViewSubmit(services: HrmServices, context: UIKitViewSubmitInteractionContext, read: IRead, modify: IModify): Promise<IUIKitResponse> {
    const data = context.getInteractionData();
    // The card is read-only: a submit (an old client, a crafted request) just closes it.
    if (!KNOWN_VIEWS.has(data.view?.id)) {
        await tellUnknown(services, read, modify, data.user, data.room, `view "${safeId(data.view?.id)}"`);
    }
    return context.getInteractionResponder().successResponse();
}

export async function handleViewClosed(services: HrmServices, context: UIKitViewCloseInteractionContext, read: IRead, modify: IModify): Promise<IUIKitResponse> {
    const data = context.getInteractionData();
    if (!KNOWN_VIEWS.has(data.view?.id)) {
        // Closing needs no answer; an unknown id is only logged (the user already closed it).
        services.logger().warn(`Ignored the closing of an unknown view "${safeId(data.view?.id)}".`);
    }
    return context.getInteractionResponder().successResponse();
}
