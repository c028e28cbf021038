// grant_type=refresh_token (RFC 6749 §6) with rotation, a grace window for concurrent or
// retried refreshes, and reuse detection.
//
// Database commands on success: read the refresh token, insert the new access token, insert the
// new refresh token (unique parentId: exactly one rotation wins), read the revocation markers — 4.
//
// Losers of a concurrent refresh (or a client retrying a lost response) within
// REFRESH_TOKEN_GRACE_SECONDS get the same new pair, opened from the sealed copy only the old
// token's holder can decrypt (security/seal.ts); nothing is revoked. After the window, the
// retired token is treated as stolen: the whole grant is revoked (RFC 9700 §4.14.2).
import type { Config } from '../../kernel/config';
import type { ClientDoc } from '../../db/schema';
import { OAuthError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import { randomToken } from '../../kernel/security/tokens';
import type { TokenStore } from '../../store/tokens';
import { addSeconds, lifetimesFor, refreshExpiry } from './lifetimes';
import { required, type Params } from './params';

export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

const invalid = (why: string) => new OAuthError('invalid_grant', `Invalid grant: ${why}`);

function requestedScope(params: Params, granted: string[]): string[] {
  if (params.scope === undefined || params.scope.trim() === '') return granted;
  const asked = [...new Set(params.scope.split(' ').filter(Boolean))];
  if (!asked.every((s) => granted.includes(s))) throw new OAuthError('invalid_scope', 'The requested scope exceeds the scope originally granted.');
  return asked;
}

export async function refreshGrant(deps: { config: Config; tokens: TokenStore; log: Logger }, client: ClientDoc, params: Params): Promise<TokenResponseBody> {
  const { config, tokens, log } = deps;
  const presented = required(params, 'refresh_token');
  const doc = await tokens.findRefreshToken(presented);
  // Another client's token (even a retired one) changes nothing: checked before reuse detection.
  if (!doc || doc.clientId !== client._id) throw invalid('refresh token is invalid');
  if (doc.revokedAt) throw invalid('refresh token is invalid');
  const now = tokens.now();
  if (doc.expiresAt <= now) throw invalid('refresh token has expired');
  const scope = requestedScope(params, doc.scope);
  const lifetimes = lifetimesFor(client, config);
  const accessToken = randomToken(32);
  const accessTokenExpiresAt = addSeconds(now, lifetimes.accessSeconds);
  const grantExpiresAt = doc.grantExpiresAt ?? addSeconds(doc.createdAt, lifetimes.refreshAbsoluteSeconds);
  const rotate = config.ROTATE_REFRESH_TOKEN;
  const refreshToken = rotate ? randomToken(32) : presented;
  const result = await tokens.issue({
    client,
    userId: doc.userId,
    scope,
    familyId: doc.familyId,
    accessToken,
    accessTokenExpiresAt,
    credentialCreatedAt: doc.createdAt,
    refresh: rotate ? { token: refreshToken, expiresAt: refreshExpiry(now, lifetimes.refreshIdleSeconds, grantExpiresAt), grantExpiresAt, parentId: doc._id, parent: presented } : undefined,
  });
  if (result.issued) {
    return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetimes.accessSeconds, refresh_token: refreshToken, scope: scope.join(' ') };
  }
  if (result.reason === 'revoked') {
    log.warn({ event: 'grant_revoked_during_issue', clientId: client._id, userId: doc.userId }, 'the grant was revoked while tokens were being issued');
    throw invalid('refresh token is invalid');
  }
  // Already rotated: a concurrent refresh or a retry (grace), or reuse of a stolen token.
  const successor = await tokens.successorOf(doc._id);
  const age = successor ? now.getTime() - successor.createdAt.getTime() : Infinity;
  if (successor && !successor.revokedAt && age <= config.REFRESH_TOKEN_GRACE_SECONDS * 1000) {
    const sealed = tokens.openSealedResponse(successor, presented);
    if (sealed) {
      log.info({ event: 'refresh_token_retry', clientId: client._id, userId: doc.userId }, 'retired refresh token presented within the grace window: same new pair returned');
      const expiresIn = Math.max(0, Math.floor((new Date(sealed.accessTokenExpiresAt).getTime() - now.getTime()) / 1000));
      return { access_token: sealed.access_token, token_type: 'Bearer', expires_in: expiresIn, refresh_token: sealed.refresh_token, scope: sealed.scope };
    }
  }
  if (successor?.revokedAt) throw invalid('refresh token is invalid');
  log.warn({ event: 'refresh_token_reuse', clientId: client._id, userId: doc.userId }, 'retired refresh token presented again: revoking its whole grant');
  await tokens.revokeFamily(doc.familyId);
  throw invalid('refresh token is invalid');
}
