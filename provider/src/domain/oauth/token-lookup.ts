// Finds a presented token among access and refresh tokens, honouring token_type_hint.
import type { AccessTokenDoc, RefreshTokenDoc } from '../../db/schema';
import type { TokenStore } from '../../store/tokens';

export type FoundToken = { kind: 'access_token'; doc: AccessTokenDoc } | { kind: 'refresh_token'; doc: RefreshTokenDoc };

export async function findToken(tokens: TokenStore, token: string, hint?: string): Promise<FoundToken | undefined> {
  const order = hint === 'refresh_token' ? (['refresh_token', 'access_token'] as const) : (['access_token', 'refresh_token'] as const);
  for (const kind of order) {
    if (kind === 'access_token') {
      const doc = await tokens.findAccessToken(token);
      if (doc) return { kind, doc };
    } else {
      const doc = await tokens.findRefreshToken(token);
      if (doc) return { kind, doc };
    }
  }
  return undefined;
}

export function isActive(found: FoundToken, now = new Date()): boolean {
  return !found.doc.revokedAt && found.doc.expiresAt > now;
}
