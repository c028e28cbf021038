/** /hrm status: linked or not, as whom, since when, token expiry. Local only: no network. */
import { RequestContext } from '../../core/context';
import { formatStatus } from '../messages/format';
import { reply, Reply } from '../messages/reply';
import { readTokens } from '../../infra/storage/engineTokens';
import { readIdentity } from '../../infra/storage/identities';
import { hasPendingLogin } from '../../infra/storage/pendingLogins';
import { t } from '../i18n/translate';

export async function status(ctx: RequestContext): Promise<Reply> {
    const identity = await readIdentity(ctx.read.getPersistenceReader(), ctx.user.id);
    const tokens = await readTokens(ctx.services.oauth, ctx.user);
    if (identity && tokens) {
        return reply(formatStatus(identity, ctx.now, ctx.user.utcOffset, ctx.lang));
    }
    if (identity || tokens) {
        return reply(t(ctx.lang, 'status-incomplete'));
    }
    if (await hasPendingLogin(ctx.read.getPersistenceReader(), ctx.user.id, ctx.now)) {
        return reply(t(ctx.lang, 'status-pending'));
    }
    return reply(t(ctx.lang, 'status-not-linked'));
}
