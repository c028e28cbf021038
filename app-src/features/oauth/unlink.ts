/** /hrm logout's work: revoke at the provider when possible, then forget the link locally. */
import { RequestContext } from '../../core/context';
import { AppError, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { readTokens, removeTokens } from '../../infra/storage/engineTokens';
import { LinkedIdentity, readIdentity, removeIdentity } from '../../infra/storage/identities';
import { clearPendingLogin } from '../../infra/storage/pendingLogins';
import { revokeStoredTokens } from './revocation';

export type UnlinkOutcome =
    | { readonly kind: 'not_linked' }
    | { readonly kind: 'revoked'; readonly identity?: LinkedIdentity }
    | { readonly kind: 'revocation_failed'; readonly identity?: LinkedIdentity; readonly reason: AppError };

export async function unlink(ctx: RequestContext, config: Result<ProviderConfig>): Promise<UnlinkOutcome> {
    const identity = await readIdentity(ctx.read.getPersistenceReader(), ctx.user.id);
    const tokens = await readTokens(ctx.services.oauth, ctx.user);
    await clearPendingLogin(ctx.persis, ctx.user.id);
    if (!tokens && !identity) {
        return { kind: 'not_linked' };
    }
    let revoked: Result<void> = config.ok ? { ok: true, value: undefined } : { ok: false, error: config.error };
    if (tokens && config.ok) {
        revoked = await revokeStoredTokens(ctx.http, config.value, tokens);
    }
    await removeTokens(ctx.persis, ctx.user.id);
    await removeIdentity(ctx.persis, ctx.user.id);
    if (!tokens || revoked.ok) {
        return { kind: 'revoked', identity };
    }
    ctx.services.logger().warn(`Unlinked user ${ctx.user.id} locally; remote revocation failed: ${revoked.error.code}.`);
    return { kind: 'revocation_failed', identity, reason: revoked.error };
}
