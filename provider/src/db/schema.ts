// Stored documents. Secrets, tokens and codes are stored only as digests (see security/tokens.ts).

export interface UserDoc {
  _id: string; // stable subject id (UUID), returned as both `sub` and `id`
  username: string; // lower-case, unique
  email: string; // lower-case, unique
  name: string;
  givenName?: string;
  familyName?: string;
  department?: string;
  jobTitle?: string;
  passwordHash?: string;
  admin: boolean;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type ClientType = 'confidential' | 'public';
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials' | 'password' | 'urn:ietf:params:oauth:grant-type:device_code';
export type ClientPreset = 'rocketchat-login' | 'rocketchat-app' | 'generic' | 'oidc-web';

export interface ClientDoc {
  _id: string; // client_id
  name: string;
  type: ClientType;
  secretDigest?: string;
  redirectUris: string[];
  grants: GrantType[];
  preset: ClientPreset;
  skipAuthorization: boolean;
  /** Demand PKCE even from this confidential client (public clients always need it). */
  requirePkce: boolean;
  /** Accept code_challenge_method=plain (RFC 7636 discourages it). */
  allowPlainPkce: boolean;
  /** Accept client_id/client_secret and grant parameters in the token request's query string (Apps-Engine OAuth2Client). */
  allowQueryCredentials: boolean;
  /** Accept RFC 7009 revocation of this client's tokens without client authentication (Apps-Engine OAuth2Client). */
  allowTokenOnlyRevocation: boolean;
  /** OpenID Connect RP-initiated logout: where the browser may be sent after logout (exact match). */
  postLogoutRedirectUris?: string[];
  /** OpenID Connect RP-initiated logout also revokes this client's tokens for the user. */
  revokeTokensOnLogout?: boolean;
  /** Browser origins (https, exact) that may call the token, revocation and userinfo endpoints (CORS). */
  allowedOrigins?: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface AuthorizationCodeDoc {
  _id: string; // digest of the code
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string[];
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export interface AccessTokenDoc {
  _id: string; // digest
  clientId: string;
  userId: string | null; // null for client_credentials
  scope: string[];
  familyId: string; // one grant: the code or password login it came from, kept across refreshes
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface RefreshTokenDoc {
  _id: string; // digest
  clientId: string;
  userId: string;
  scope: string[];
  familyId: string;
  accessTokenId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Set when retired by rotation (as opposed to revocation); drives the reuse grace period. */
  rotatedAt: Date | null;
  createdAt: Date;
}

/** A one-time form submission (double-submit protection for account and admin forms). */
export interface FormSubmissionDoc {
  _id: string;
  at: Date;
  href?: string;
  label?: string;
}

/** Consents are keyed by user and client: one document per pair. */
export function consentId(userId: string, clientId: string): string {
  return `${userId}:${clientId}`;
}

export interface ConsentDoc {
  _id: string; // `${userId}:${clientId}`
  userId: string;
  clientId: string;
  scope: string[];
  createdAt: Date;
  lastUsedAt: Date;
}

export interface RateLimitDoc {
  _id: string;
  hits: number;
  resetAt: Date;
}

export interface AuditDoc {
  _id?: unknown;
  at: Date;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

/** A one-time claim: inserting it is the atomic "first and only" step (unique _id), on MongoDB and FerretDB alike. */
export interface ClaimDoc {
  _id: string; // `code:<digest>` or `refresh:<digest>`
  at: Date;
  expiresAt: Date;
}
