/** /hrm logout: revoke at HRM and forget the link, even when HRM cannot be reached. */
import { RequestContext } from '../../core/context';
import { unlink } from '../../features/oauth/unlink';
import { t } from '../i18n/translate';
import { describeIdentity } from '../messages/format';
import { reply, Reply } from '../messages/reply';

export async function logout(ctx: RequestContext): Promise<Reply> {
    const config = await ctx.services.loadConfig(ctx.read);
    const outcome = await unlink(ctx, config);
    if (outcome.kind === 'not_linked') {
        return reply(t(ctx.lang, 'logout-not-linked'));
    }
    const from = outcome.identity ? t(ctx.lang, 'logout-from', { who: describeIdentity(outcome.identity) }) : '';
    if (outcome.kind === 'revoked') {
        return reply(t(ctx.lang, 'logout-done', { from }));
    }
    return reply(t(ctx.lang, 'logout-revoke-failed', { from, reason: stripPeriod(outcome.reason.message) }));
}

function stripPeriod(sentence: string): string {
    return sentence.replace(/[.:]\s*$/, '');
}
