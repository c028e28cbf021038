/**
 * The "HRM profile" message action: opens the HR card of a message's author (a modal,
 * with the click's triggerId) for whoever clicked it, exactly as `/hrm who @author` would (same
 * checks, same one-sentence answers). Apps-Engine 1.42.1's UIActionButtonContext has no user-info
 * panel context (USER_DROPDOWN_ACTION is the user's own avatar menu), so the message menu is where
 * it lives.
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { UIActionButtonContext } from '@rocket.chat/apps-engine/definition/ui';
import { IUIActionButtonDescriptor } from '@rocket.chat/apps-engine/definition/ui/IUIActionButtonDescriptor';
import { IUIKitResponse, UIKitActionButtonInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';
import { HrmServices } from '../../core/context';
import { deliverReply } from '../messages/deliver';
import { describeError } from '../commands/HrmCommand';
import { reply } from '../messages/reply';
import { who } from '../commands/directory';
import { tellUnknown } from './events';
import { t, userLanguage } from '../i18n/translate';

export const PROFILE_ACTION_ID = 'hrm-profile';

export const PROFILE_BUTTON: IUIActionButtonDescriptor = {
    actionId: PROFILE_ACTION_ID,
    context: UIActionButtonContext.MESSAGE_ACTION,
    labelI18n: 'hrm-profile-button',
};

export async function handleProfileButton(services: HrmServices, context: UIKitActionButtonInteractionContext, read: IRead, http: IHttp, persis: IPersistence, modify: IModify): Promise<IUIKitResponse> {
    const data = context.getInteractionData();
    const responder = context.getInteractionResponder();
    if (data.actionId !== PROFILE_ACTION_ID) {
        await tellUnknown(services, read, modify, data.user, data.room, `action button "${String(data.actionId).replace(/[^\w.:-]/g, '').slice(0, 60)}"`);
        return responder.successResponse();
    }
    const author = data.message?.sender?.username;
    const lang = userLanguage(data.user);
    try {
        const answer = author
            ? await who({ services, user: data.user, room: data.room, read, modify, http, persis, now: Date.now(), lang }, [`@${author}`])
            : reply(t(lang, 'profile-button-no-author'));
        await deliverReply(read, modify, data.user, data.room, answer, data.triggerId, (error) =>
            services.logger().error(`Could not open the HRM card for user ${data.user.id}, sending it as a message: ${describeError(error)}`),
        );
    } catch (error) {
        services.logger().error(`The HRM profile button failed for user ${data.user.id}.`);
    }
    return responder.successResponse();
}
