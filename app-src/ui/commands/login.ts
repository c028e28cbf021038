/** /hrm login: an ephemeral link to authorize, after recording a pending login. */
import { RequestContext } from '../../core/context';
import { describeIdentity } from '../messages/format';
import { reply, Reply } from '../messages/reply';
import { readTokens } from '../../infra/storage/engineTokens';
import { readIdentity } from '../../infra/storage/identities';
import { encodeLoginState } from '../../features/oauth/loginState';
import { PENDING_LOGIN_TTL_MS, startPendingLogin } from '../../infra/storage/pendingLogins';
import { t } from '../i18n/translate';

export async function login(ctx: RequestContext): Promise<Reply> {
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const identity = await readIdentity(ctx.read.getPersistenceReader(), ctx.user.id);
    const tokens = await readTokens(ctx.services.oauth, ctx.user);
    if (identity && tokens) {
        return reply(t(ctx.lang, 'login-already', { who: describeIdentity(identity) }));
    }
    const nonce = await startPendingLogin(ctx.persis, ctx.user.id, ctx.now, ctx.room?.id);
    const url = await ctx.services.oauth.getUserAuthorizationUrl(ctx.user);
    // The engine's state is the bare user id; the callback guard also wants this login's nonce.
    url.searchParams.set('state', encodeLoginState(ctx.user.id, nonce));
    const minutes = Math.round(PENDING_LOGIN_TTL_MS / 60_000);
    return reply(t(ctx.lang, 'login-link', { minutes, url: url.href }), {
        label: t(ctx.lang, 'login-button'),
        url: url.href,
    });
}
