// Verifies an id_token_hint (RP-Initiated Logout 1.0 §2): signed by one of our published keys
// and issued by us. Its expiry is not checked: the spec lets a relying party send an expired
// ID token as the hint.
import { compactVerify, createLocalJWKSet } from 'jose';
import type { SigningKeys } from '../../store/signing-keys';

export interface IdTokenHint {
  sub: string;
  /** The client the ID token was issued to (azp, or the single audience). */
  clientId: string;
}

export async function verifyIdTokenHint(keys: SigningKeys, issuer: string, token: string): Promise<IdTokenHint | undefined> {
  try {
    const { payload } = await compactVerify(token, createLocalJWKSet(await keys.jwks()), { algorithms: ['RS256', 'ES256'] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const clientId = typeof claims.azp === 'string' ? claims.azp : aud.length === 1 ? aud[0] : undefined;
    if (claims.iss !== issuer || typeof claims.sub !== 'string' || typeof clientId !== 'string' || !aud.includes(clientId)) return undefined;
    return { sub: claims.sub, clientId };
  } catch {
    return undefined;
  }
}
