/**
 * The `hrm-callback` endpoint the engine's OAuth2Client registers, wrapped: before the engine
 * sees a callback, the `state` must carry the one-time nonce of a pending login of that user
 * (see loginState.ts). A callback without it — forged, replayed, or for someone else — is
 * answered with an error page and changes nothing: no code exchange (so the provider does not
 * see a code replay and revoke the grant), no pending login consumed, no link touched.
 * A valid nonce consumes the pending login, then the engine runs with the bare user id as
 * `state` and with exchangeHttp() in place of the HTTP accessor (credentials in HTTP Basic).
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { CallbackInFlight, HrmServices } from '../../core/context';
import { cancelledPage, invalidLinkPage } from '../messages/html';
import { notifyUser, roomById } from '../messages/notify';
import { reply } from '../messages/reply';
import { consumePendingLogin } from '../../infra/storage/pendingLogins';
import { exchangeHttp } from '../../features/oauth/exchangeHttp';
import { parseLoginState } from '../../features/oauth/loginState';
import { t, userLanguage } from '../i18n/translate';

type EndpointHandler = NonNullable<IApiEndpoint['get']>;

export type { CallbackInFlight };

const BAD_REQUEST = 400;
const UNAUTHORIZED = 401;

export function guardCallback(services: HrmServices, engineGet: EndpointHandler): EndpointHandler {
    return async (request: IApiRequest, endpoint: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> => {
        const query = request.query ?? {};
        const state = parseLoginState(query.state);
        if (!state) {
            services.logger().warn('Refused an HRM callback whose state carries no login nonce.');
            return { status: BAD_REQUEST, content: invalidLinkPage() };
        }
        const user = await read.getUserReader().getById(state.userId);
        const pending = user ? await consumePendingLogin(read.getPersistenceReader(), persis, state.userId, state.nonce, Date.now()) : { state: 'unknown' as const };
        if (!user || pending.state === 'unknown') {
            services.logger().warn(`Refused an HRM callback for user ${state.userId}: no pending login with that nonce (forged, replayed or superseded).`);
            return { status: BAD_REQUEST, content: invalidLinkPage() };
        }
        const tell = async (text: string): Promise<void> => {
            if (pending.roomId) {
                try {
                    await notifyUser(read, modify, user, roomById(pending.roomId), reply(text));
                } catch {
                    services.logger().warn(`Could not notify user ${user.id} about the HRM callback.`);
                }
            }
        };
        if (pending.state === 'expired') {
            await tell(t(userLanguage(user), 'callback-expired'));
            return { status: BAD_REQUEST, content: invalidLinkPage() };
        }
        if (typeof query.code !== 'string' || !query.code) {
            await tell(t(userLanguage(user), 'callback-cancelled'));
            return { status: UNAUTHORIZED, content: cancelledPage() };
        }
        const config = await services.loadConfig(read);
        if (!config.ok) {
            await tell(config.error.message);
            return { status: BAD_REQUEST, content: invalidLinkPage() };
        }
        const inFlight: CallbackInFlight = pending.roomId ? { roomId: pending.roomId } : {};
        services.callbacksInFlight.set(user.id, inFlight);
        try {
            const engineRequest: IApiRequest = { ...request, query: { code: query.code, state: user.id } };
            return await engineGet(engineRequest, endpoint, read, modify, exchangeHttp(http, config.value, inFlight), persis);
        } finally {
            services.callbacksInFlight.delete(user.id);
        }
    };
}
