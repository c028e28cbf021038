/** /hrm status: linked or not, as whom, since when, token expiry. Local only: no network. */
import { RequestContext } from '../../core/context';
import { formatStatus } from '../messages/format';
import { reply, Reply } from '../messages/reply';
import { readTokens } from '../../infra/storage/engineTokens';
import { readIdentity } from '../../infra/storage/identities';
import { hasPendingLogin } from '../../infra/storage/pendingLogins';

export async function status(ctx: RequestContext): Promise<Reply> {
    const identity = await readIdentity(ctx.read.getPersistenceReader(), ctx.user.id);
    const tokens = await readTokens(ctx.services.oauth, ctx.user);
    if (identity && tokens) {
        return reply(formatStatus(identity, ctx.now, ctx.user.utcOffset));
    }
    if (identity || tokens) {
        return reply('Your HRM link is incomplete: run /hrm logout, then /hrm login to connect again.');
    }
    if (await hasPendingLogin(ctx.read.getPersistenceReader(), ctx.user.id, ctx.now)) {
        return reply('You are not linked yet: a login is waiting for you to authorize it at HRM (or run /hrm login for a new link).');
    }
    return reply('You are not linked to an HRM account: run /hrm login to connect it.');
}
