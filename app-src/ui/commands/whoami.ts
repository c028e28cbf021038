/** /hrm whoami: the HRM profile, fetched with the user's token (refreshed once if needed). */
import { RequestContext } from '../../core/context';
import { withAccessToken } from '../../features/oauth/session';
import { fetchProfile } from '../../features/provider-api/userinfo';
import { t } from '../i18n/translate';
import { asReason, errorText } from '../messages/errors';
import { formatProfile } from '../messages/format';
import { reply, Reply } from '../messages/reply';

export async function whoami(ctx: RequestContext): Promise<Reply> {
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const result = await withAccessToken(ctx, config.value, (http, token) => fetchProfile(http, config.value, token));
    if (!result.ok) {
        if (result.error.code === 'not_linked' || result.error.code === 'session_expired' || result.error.code === 'token_rejected') {
            return reply(errorText(ctx.lang, result.error));
        }
        return reply(t(ctx.lang, 'profile-failed', { reason: asReason(result.error.message) }));
    }
    return reply(`${t(ctx.lang, 'profile-title')}\n${formatProfile(result.value.value, ctx.lang)}`);
}
