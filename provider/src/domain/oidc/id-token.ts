// ID tokens (OIDC Core §2, §3.1.3.6, §3.3.2.11): signed with the current key, carrying the
// authentication context of the grant and the hashes that bind them to the access token or code.
import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import type { UserDoc } from '../../db/schema';
import { claimValues, requestedClaimNames, scopeClaimNames } from './claims';
import type { SigningKeys } from '../../store/signing-keys';
import type { OidcGrantDoc } from '../../db/oidc-schema';

/** Left half of the SHA-256 of the value, base64url (§3.1.3.6 at_hash, §3.3.2.11 c_hash; SHA-256 for RS256 and ES256). */
export function halfHash(value: string): string {
  const d = crypto.createHash('sha256').update(value, 'ascii').digest();
  return d.subarray(0, d.length / 2).toString('base64url');
}

export interface IdTokenInput {
  issuer: string;
  ttlSeconds: number;
  user: UserDoc;
  clientId: string;
  scope: string[];
  grant: OidcGrantDoc;
  includeNonce: boolean;
  accessToken?: string;
  code?: string;
  /** False for the front-channel (hybrid) ID token: profile data stays out of the browser's URL. */
  scopeClaims?: boolean;
}

export async function signIdToken(keys: SigningKeys, input: IdTokenInput): Promise<string> {
  const { kid, alg, key } = await keys.signingKey();
  const { user, grant } = input;
  const fromScope = input.scopeClaims === false ? [] : scopeClaimNames(input.scope);
  const names = [...new Set([...fromScope, ...requestedClaimNames(grant.claims?.id_token)])].filter((n) => n !== 'sub');
  const payload: Record<string, unknown> = {
    ...claimValues(user, names),
    azp: input.clientId,
    auth_time: grant.authTime,
  };
  if (grant.amr?.length) payload.amr = grant.amr; // RFC 8176: pwd, plus otp and mfa after a second factor
  if (input.includeNonce && grant.nonce !== undefined) payload.nonce = grant.nonce;
  if (input.accessToken) payload.at_hash = halfHash(input.accessToken);
  if (input.code) payload.c_hash = halfHash(input.code);
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setSubject(user._id)
    .setAudience(input.clientId)
    .setIssuedAt()
    .setExpirationTime(`${input.ttlSeconds}s`)
    .sign(key);
}
