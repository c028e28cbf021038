/** /hrm whoami: the HRM profile, fetched with the user's token (refreshed once if needed). */
import { RequestContext } from '../../core/context';
import { formatProfile } from '../messages/format';
import { reply, Reply } from '../messages/reply';
import { withAccessToken } from '../../features/oauth/session';
import { fetchProfile } from '../../features/provider-api/userinfo';

export async function whoami(ctx: RequestContext): Promise<Reply> {
    const config = await ctx.services.loadConfig(ctx.read);
    if (!config.ok) {
        return reply(config.error.message);
    }
    const result = await withAccessToken(ctx, config.value, (http, token) => fetchProfile(http, config.value, token));
    if (!result.ok) {
        if (result.error.code === 'not_linked' || result.error.code === 'session_expired' || result.error.code === 'token_rejected') {
            return reply(result.error.message);
        }
        return reply(`Could not fetch your HRM profile: ${lowerFirst(result.error.message)}`);
    }
    return reply(`Your HRM profile:\n${formatProfile(result.value.value)}`);
}

function lowerFirst(sentence: string): string {
    return sentence.startsWith('HRM') ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
