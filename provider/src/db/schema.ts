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
  /** Browser sessions that signed in at or before this time are over (store/user-access.ts). */
  sessionsEndedAt?: Date;
  /** The language the person chose for pages and mails (kernel/i18n/languages.ts); absent: the browser's. */
  language?: string;
  createdAt: Date;
  updatedAt: Date;
  // HR lifecycle (provider/src/domain/hr/): all optional, absent on users created before it.
  /** active (default), on_leave (until leaveUntil) or left (since leftAt; the account is also inactive). */
  employmentStatus?: 'active' | 'on_leave' | 'left';
  leaveUntil?: Date;
  leftAt?: Date;
  /** Username of the user's manager. */
  manager?: string;
  employeeNumber?: string;
  /** Team slugs; the department's slug is derived from `department` (hr/groups.ts). */
  teams?: string[];
  /** Absolute https URL or a path on this provider. */
  pictureUrl?: string;
  /** HR roles (e.g. hr-admin), mapped to Rocket.Chat roles by HR_ROLE_MAP. */
  hrRoles?: string[];
  // People routes (domain/people/): where the account is kept in sync from.
  /** The route that created or claimed the account (CSV import, SCIM, directory sync). */
  source?: 'csv' | 'scim' | 'directory';
  /** SCIM externalId (set by the identity provider). */
  externalId?: string;
  /** The directory entry's stable id (entryUUID / objectGUID, else its DN) for synced accounts. */
  directoryId?: string;
  /** Set when a SCIM client DELETEd the account: it is left, and SCIM answers 404 for it from then on. */
  scimDeletedAt?: Date;
  /** TOTP two-factor sign-in, when set up (two-factor/store.ts). */
  twoFactor?: TwoFactorDoc;
}

export interface TwoFactorDoc {
  /** The TOTP secret, AES-GCM sealed (two-factor/secret-box.ts); never stored in clear. */
  sealedSecret: string;
  enabledAt: Date;
  /** The last time step a code was accepted for: a code of this step or an earlier one is a replay. */
  lastStep: number;
  /** SHA-256 digests of the unused recovery codes; a used one is pulled out. */
  recoveryCodes: string[];
}

export type ClientType = 'confidential' | 'public';
export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials' | 'password' | 'urn:ietf:params:oauth:grant-type:device_code';
export type ClientPreset = 'rocketchat-login' | 'rocketchat-wordpress' | 'rocketchat-app' | 'generic' | 'oidc-web';

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
  /** Accept the bearer token as ?access_token= (or a form field) at userinfo: Rocket.Chat's "Identity Token Sent Via: Payload". */
  allowQueryAccessToken?: boolean;
  /** May introspect tokens of other clients (a resource server); without it a client introspects only its own tokens. */
  allowIntrospection?: boolean;
  /** Per-client token lifetimes in seconds; unset → the provider-wide defaults (config.ts). See store/tokens.ts. */
  accessTokenLifetime?: number;
  /** A refresh token unused this long expires (each rotation starts a new idle period). */
  refreshIdleTimeout?: number;
  /** No refresh token of one grant outlives grant start + this, however often it is rotated. */
  refreshAbsoluteLifetime?: number;
  /** Show the consent page on every authorization (store/client-policies.ts); absent = false. */
  alwaysAskConsent?: boolean;
  /** Let prompt=consent force the consent page (store/client-policies.ts); absent = true. */
  honourPromptConsent?: boolean;
  /** OpenID Connect RP-initiated logout: where the browser may be sent after logout (exact match). */
  postLogoutRedirectUris?: string[];
  /** OpenID Connect RP-initiated logout also revokes this client's tokens for the user. */
  revokeTokensOnLogout?: boolean;
  /** Browser origins (https, exact) that may call the token, revocation and userinfo endpoints (CORS). */
  allowedOrigins?: string[];
  createdAt: Date;
  updatedAt: Date;
  /** May call POST /api/v2/hrm/status/ (hr/status-route.ts); absent = on for the rocketchat-app preset only. */
  allowHrmStatus?: boolean;
  /** Shown on the consent page: the application's logo (https URL) and home page. */
  logoUri?: string;
  homePageUri?: string;
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
  /** Legacy: redemption is now the unique insert of the grant's first refresh token (or a claim). */
  usedAt?: Date | null;
  createdAt: Date;
  /** Extra fields other modules carry from /o/authorize/ to the token response (e.g. an OIDC nonce). */
  extra?: Record<string, unknown>;
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
  /** FerretDB: the expiry bucket the sweeper deletes it with (db/expiry.ts TOKEN_BUCKET_FIELD). */
  sweepBucket?: string;
}

export interface RefreshTokenDoc {
  _id: string; // digest
  clientId: string;
  userId: string;
  scope: string[];
  familyId: string;
  /**
   * Unique: what this token was issued from — `code:<code digest>`, `grant:<family>` (password
   * grant) or the digest of the refresh token it replaced. Inserting the successor is the atomic
   * "exactly one rotation" step; a token with a successor is retired (see store/tokens.ts).
   */
  parentId: string;
  accessTokenId: string;
  expiresAt: Date;
  /** FerretDB: the expiry bucket the sweeper deletes it with (db/expiry.ts TOKEN_BUCKET_FIELD). */
  sweepBucket?: string;
  /** The grant's absolute end (client's refreshAbsoluteLifetime from the grant's start). */
  grantExpiresAt?: Date;
  revokedAt: Date | null;
  /** Legacy (before successor-based rotation): set when retired by rotation. */
  rotatedAt?: Date | null;
  /** The token response that replaced the parent, encrypted with a key only the parent's holder can derive (grace window). */
  sealedResponse?: string;
  /** 'held' while sealedResponse is stored: the indexed equality the seal sweep finds them by (store/tokens.ts dropEndedSeals). */
  graceSeal?: 'held';
  createdAt: Date;
}

/**
 * A revocation marker (collection `revocations`): `family:<id>`, `user:<id>` or `client:<id>`.
 * Written before tokens are marked, read by every issuer after it inserts tokens — so a revoke
 * that returned 200 wins every race (see store/revocations.ts).
 */
export interface RevocationDoc {
  _id: string;
  revokedAt: Date;
  /** Client deleted: nothing may be issued to it any more, whatever its credential's age. */
  final?: boolean;
  expiresAt: Date;
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

/** One applied schema step (db/migrations.ts). */
export interface MigrationDoc {
  _id: number;
  name: string;
  appliedAt: Date;
}

/** A SCIM provisioning connection (store/scim-connections.ts): one bearer token, stored as a digest. */
export interface ScimConnectionDoc {
  _id: string;
  name: string;
  tokenDigest: string;
  createdAt: Date;
  createdBy: string;
  revokedAt?: Date;
  revokedBy?: string;
  lastUsedAt?: Date;
}

/** A team a SCIM client manages as a Group (store/people-groups.ts); members carry `slug` in `teams`. */
export interface PeopleGroupDoc {
  _id: string;
  slug: string;
  displayName: string;
  externalId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One directory (LDAP / Active Directory) sync run and what it did (store/directory-runs.ts). */
export interface DirectoryRunDoc {
  _id: string;
  startedAt: Date;
  finishedAt?: Date;
  trigger: 'schedule' | 'cli' | 'admin';
  dryRun: boolean;
  ok: boolean;
  /** Why the run changed nothing (directory unreachable, empty answer, bad mapping…). */
  error?: string;
  summary?: { entries: number; created: number; updated: number; unchanged: number; left: number; skipped: { entry: string; reason: string }[] };
}
