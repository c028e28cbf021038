/** /hrm logout: revoke at HRM and forget the link, even when HRM cannot be reached. */
import { RequestContext } from '../../core/context';
import { describeIdentity } from '../messages/format';
import { reply, Reply } from '../messages/reply';
import { unlink } from '../../features/oauth/unlink';

export async function logout(ctx: RequestContext): Promise<Reply> {
    const config = await ctx.services.loadConfig(ctx.read);
    const outcome = await unlink(ctx, config);
    if (outcome.kind === 'not_linked') {
        return reply('You are not linked to an HRM account, so there is nothing to log out from.');
    }
    const who = outcome.identity ? ` from ${describeIdentity(outcome.identity)}` : '';
    if (outcome.kind === 'revoked') {
        return reply(`Unlinked${who}: the app's access to your HRM account was revoked.`);
    }
    return reply(`Unlinked${who} in Rocket.Chat, but revoking the access at HRM failed (${stripPeriod(outcome.reason.message)}); it stays valid at HRM until it expires.`);
}

function stripPeriod(sentence: string): string {
    return sentence.replace(/[.:]\s*$/, '');
}
