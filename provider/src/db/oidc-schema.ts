// Documents of the OpenID Connect modules (collections are opened in db/connect.ts).
import type { JWK } from 'jose';

/** One ID-token signing key. Its private part is a JWK, encrypted (compact JWE) when OIDC_KEY_ENCRYPTION_KEY is set. */
export interface SigningKeyDoc {
  _id: string; // kid
  /** 1, 2, 3… unique: two instances generating the first key (or rotating) at once cannot both win. */
  generation: number;
  alg: 'RS256' | 'ES256';
  publicJwk: JWK;
  /** Compact JWE of the private JWK (encrypted) or the private JWK as JSON (not encrypted). */
  privateKey: string;
  encrypted: boolean;
  createdAt: Date;
  /** Published from creation; signs from this time on (rotation publishes first, signs later). */
  signsFrom: Date;
  /** Set when a newer key takes over signing. */
  signsUntil: Date | null;
  /** Set with signsUntil: the last ID token it signed has expired by then, so it leaves the JWKS. */
  publishedUntil: Date | null;
}

/**
 * What an OpenID Connect authorization carried (nonce, authentication time, claims request),
 * keyed by the token family id (the digest of the authorization code), so the token endpoint
 * and userinfo find it from any access token of that grant.
 */
export interface OidcGrantDoc {
  _id: string; // familyId = digest(authorization code)
  clientId: string;
  userId: string;
  nonce?: string;
  /** Seconds since the epoch, when the user signed in. */
  authTime: number;
  /** RFC 8176 authentication methods of the sign-in (pwd; otp, mfa with two-factor); absent on older grants. */
  amr?: string[];
  claims?: ClaimsRequest;
  expiresAt: Date;
}

export type ClaimRequestMember = null | { essential?: boolean; value?: unknown; values?: unknown[] };
export interface ClaimsRequest {
  userinfo?: Record<string, ClaimRequestMember>;
  id_token?: Record<string, ClaimRequestMember>;
}

/** RFC 8628 device authorization: one per device_code (stored as a digest). */
export interface DeviceCodeDoc {
  _id: string; // digest(device_code)
  /** Eight letters without vowels (BCDFGHJKLMNPQRSTVWXZ), stored without the dash; unique. */
  userCode: string;
  clientId: string;
  scope: string[];
  status: 'pending' | 'approved' | 'denied';
  userId?: string;
  /** Seconds the device must wait between polls; grows by 5 at each slow_down (RFC 8628 §3.5). */
  interval: number;
  lastPollAt: Date | null;
  expiresAt: Date;
  createdAt: Date;
}

/** An initial access token for dynamic client registration (RFC 7591 §3), created in the CLI; single use. */
export interface RegistrationTokenDoc {
  _id: string; // digest of the token
  note?: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  usedFor?: string; // client_id it registered
}

/** RFC 7592: the registration access token of a dynamically registered client (digest). */
export interface RegistrationDoc {
  _id: string; // client_id
  accessTokenDigest: string;
  createdAt: Date;
}
