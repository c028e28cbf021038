// OAuth clients: presets that encode the right flags for each Rocket.Chat consumer,
// secrets shown once and stored as digests.
import { z } from 'zod';
import type { Database } from '../db/connect';
import type { ClientDoc, ClientPreset, ClientType, GrantType } from '../db/schema';
import { AppError } from '../kernel/errors';
import { digest, matchesDigest, randomClientId, randomToken } from '../kernel/security/tokens';
import { zodMessage } from './users';
import type { TokenStore } from './tokens';
import { ConsentStore } from './consents';

/** Drops undefined values, so unset lifetimes stay absent from the stored document. */
function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
import { PRESET_POLICIES, withCloseVariants } from './client-policies';
import { validateAllowedOrigin } from '../kernel/origins';

export const GRANT_TYPES: GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:device_code'];
export const PRESETS: ClientPreset[] = ['rocketchat-login', 'rocketchat-wordpress', 'rocketchat-app', 'generic', 'oidc-web'];

/** Per-client token lifetimes (seconds); unset fields fall back to the provider-wide defaults. */
export interface TokenLifetimes {
  accessTokenLifetime?: number;
  refreshIdleTimeout?: number;
  refreshAbsoluteLifetime?: number;
}

/**
 * The Rocket.Chat app's link must survive weekends and holidays: access tokens stay short (1 h,
 * like node-oidc-provider's AccessToken TTL; DOT's default is 10 h), a refresh token lives 90 days
 * after its last use (DOT: no idle limit, REFRESH_TOKEN_EXPIRE_SECONDS unset = forever;
 * node-oidc-provider: 14 days), and no grant outlives a year (node-oidc-provider's absolute cap).
 */
export const APP_LINK_LIFETIMES: Required<TokenLifetimes> = { accessTokenLifetime: 3600, refreshIdleTimeout: 90 * 24 * 3600, refreshAbsoluteLifetime: 365 * 24 * 3600 };

interface PresetDefaults extends TokenLifetimes {
  description: string;
  type: ClientType;
  grants: GrantType[];
  allowQueryCredentials: boolean;
  allowTokenOnlyRevocation: boolean;
  requirePkce: boolean;
  /** userinfo accepts ?access_token= (Rocket.Chat's "Identity Token Sent Via: Payload"). */
  allowQueryAccessToken: boolean;
}

/** What each preset means; explicit options given at creation override these. */
export const PRESET_DEFAULTS: Record<ClientPreset, PresetDefaults> = {
  'rocketchat-login': {
    description: 'Rocket.Chat "Custom OAuth" login: confidential, authorization code, PKCE honoured but not demanded',
    type: 'confidential',
    grants: ['authorization_code', 'refresh_token'],
    allowQueryCredentials: false,
    allowTokenOnlyRevocation: false,
    requirePkce: false,
    allowQueryAccessToken: true,
  },
  'rocketchat-wordpress': {
    description: 'Rocket.Chat login through its built-in WordPress provider, server type "custom" (every edition): confidential, credentials in the body, identity by ?access_token=',
    type: 'confidential',
    grants: ['authorization_code', 'refresh_token'],
    allowQueryCredentials: false,
    allowTokenOnlyRevocation: false,
    requirePkce: false,
    allowQueryAccessToken: true,
  },
  'rocketchat-app': {
    description: 'HRM SSO Rocket.Chat app (Apps-Engine OAuth2Client): credentials in the query string and token-only revocation accepted; a link that lasts (1 h access, 90-day idle, 1-year cap)',
    type: 'confidential',
    // No client_credentials: the app only ever acts for a linked user.
    grants: ['authorization_code', 'refresh_token'],
    allowQueryCredentials: true,
    allowTokenOnlyRevocation: true,
    requirePkce: false,
    allowQueryAccessToken: true,
    ...APP_LINK_LIFETIMES,
  },
  generic: {
    description: 'Standard OAuth 2.0 client (RFC 6749 + RFC 9700 defaults)',
    type: 'confidential',
    grants: ['authorization_code', 'refresh_token'],
    allowQueryCredentials: false,
    allowTokenOnlyRevocation: false,
    requirePkce: false,
    allowQueryAccessToken: false,
  },
  'oidc-web': {
    description: 'OpenID Connect relying party (web application: Grafana, GitLab, Nextcloud, …): confidential, authorization code + refresh, ID tokens with scope openid',
    type: 'confidential',
    grants: ['authorization_code', 'refresh_token'],
    allowQueryCredentials: false,
    allowTokenOnlyRevocation: false,
    requirePkce: false,
    allowQueryAccessToken: false,
  },
};

export function validateRedirectUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new AppError('invalid_redirect_uri', `Redirect URI "${uri}" is not an absolute URL.`);
  }
  if (url.hash) throw new AppError('invalid_redirect_uri', `Redirect URI "${uri}" must not contain a fragment (RFC 6749 §3.1.2).`);
  // http stays allowed: many internal Rocket.Chat servers run behind plain http.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('invalid_redirect_uri', `Redirect URI "${uri}" must use https or http.`);
  }
  return uri;
}

export const newClientSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  redirectUris: z.array(z.string()).default([]),
  type: z.enum(['confidential', 'public']).optional(),
  grants: z.array(z.enum(GRANT_TYPES as [GrantType, ...GrantType[]], { errorMap: () => ({ message: `grants must be among ${GRANT_TYPES.join(', ')}` }) })).optional(),
  preset: z.enum(PRESETS as [ClientPreset, ...ClientPreset[]], { errorMap: () => ({ message: `preset must be one of ${PRESETS.join(', ')}` }) }).default('generic'),
  skipAuthorization: z.boolean().default(false),
  requirePkce: z.boolean().optional(),
  allowPlainPkce: z.boolean().default(false),
  ...lifetimeFields(),
  allowQueryAccessToken: z.boolean().optional(),
  allowIntrospection: z.boolean().optional(),
  /** OpenID Connect RP-initiated logout: allowed post_logout_redirect_uri values (exact match). */
  postLogoutRedirectUris: z.array(z.string()).default([]),
  /** RP-initiated logout also revokes this client's tokens for the user. */
  revokeTokensOnLogout: z.boolean().default(false),
  /** CORS: https origins of browser apps that call the token, revocation and userinfo endpoints. */
  allowedOrigins: z.array(z.string()).default([]),
});

function lifetimeFields() {
  const secs = (name: string, min: number) =>
    z.number({ invalid_type_error: `${name} must be a number of seconds` }).int(`${name} must be a whole number of seconds`).min(min, `${name} must be at least ${min} seconds`).max(10 * 365 * 24 * 3600, `${name} must be at most 10 years`).optional();
  return {
    accessTokenLifetime: secs('access token lifetime', 60),
    refreshIdleTimeout: secs('refresh idle timeout', 60),
    refreshAbsoluteLifetime: secs('refresh absolute lifetime', 60),
  };
}
export const lifetimeSchema = z.object(lifetimeFields());
export type NewClient = z.input<typeof newClientSchema>;

export interface CreatedClient {
  client: ClientDoc;
  /** Shown once; only its digest is stored. */
  clientSecret: string | null;
}

export class ClientStore {
  /**
   * Hot endpoints (token, introspect, userinfo, revoke, authorize) read clients through a small
   * in-process cache: a write in this process invalidates at once, other processes (and the CLI)
   * see a change after at most `cacheSeconds`. Token revocation never depends on it (markers and
   * token documents do), and a deleted client's final marker stops issuance everywhere at once.
   */
  private readonly cache = new Map<string, { doc: ClientDoc; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly cacheSeconds = 0,
    private readonly tokens?: TokenStore,
  ) {}

  /** "Does any client allow plain PKCE?" (the discovery document), kept like a cached client. */
  private plainPkce?: { answer: boolean; until: number };

  private forget(id: string): void {
    this.cache.delete(id);
    // Any client write may change the answer: this process sees it at once.
    this.plainPkce = undefined;
  }

  async create(input: NewClient): Promise<CreatedClient> {
    const parsed = newClientSchema.safeParse(input);
    if (!parsed.success) throw new AppError('invalid_client_metadata', zodMessage(parsed.error));
    const c = parsed.data;
    const preset = PRESET_DEFAULTS[c.preset];
    const type = c.type ?? preset.type;
    const grants = [...new Set(c.grants ?? preset.grants)];
    const policy = PRESET_POLICIES[c.preset];
    const validated = c.redirectUris.map(validateRedirectUri);
    const redirectUris = policy.closeRedirectVariant ? withCloseVariants(validated) : [...new Set(validated)];
    if (grants.includes('authorization_code') && redirectUris.length === 0) {
      throw new AppError('invalid_redirect_uri', 'A client using the authorization code grant needs at least one redirect URI.');
    }
    if (type === 'public' && (grants.includes('client_credentials') || grants.includes('password'))) {
      throw new AppError('invalid_client_metadata', 'A public client cannot use the client_credentials or password grant.');
    }
    const secret = type === 'confidential' ? randomToken(36) : null;
    const now = new Date();
    const client: ClientDoc = {
      _id: randomClientId(),
      name: c.name,
      type,
      secretDigest: secret ? digest(secret) : undefined,
      redirectUris,
      grants,
      preset: c.preset,
      skipAuthorization: c.skipAuthorization,
      requirePkce: type === 'public' ? true : c.requirePkce ?? preset.requirePkce,
      allowPlainPkce: c.allowPlainPkce,
      allowQueryCredentials: type === 'confidential' && preset.allowQueryCredentials,
      allowTokenOnlyRevocation: preset.allowTokenOnlyRevocation,
      allowQueryAccessToken: c.allowQueryAccessToken ?? preset.allowQueryAccessToken,
      allowIntrospection: c.allowIntrospection ?? false,
      ...definedOnly({
        accessTokenLifetime: c.accessTokenLifetime ?? preset.accessTokenLifetime,
        refreshIdleTimeout: c.refreshIdleTimeout ?? preset.refreshIdleTimeout,
        refreshAbsoluteLifetime: c.refreshAbsoluteLifetime ?? preset.refreshAbsoluteLifetime,
      }),
      alwaysAskConsent: policy.alwaysAskConsent,
      honourPromptConsent: policy.honourPromptConsent,
      postLogoutRedirectUris: [...new Set(c.postLogoutRedirectUris.map(validateRedirectUri))],
      revokeTokensOnLogout: c.revokeTokensOnLogout,
      allowedOrigins: [...new Set(c.allowedOrigins.map(validateAllowedOrigin))],
      createdAt: now,
      updatedAt: now,
    };
    await this.db.clients.insertOne(client);
    this.forget(client._id);
    return { client, clientSecret: secret };
  }

  /** Cached read (see `cache`). */
  async byId(id: unknown): Promise<ClientDoc | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.doc;
    const doc = await this.fresh(id);
    if (doc && this.cacheSeconds > 0) {
      if (this.cache.size >= 1000) this.cache.clear();
      this.cache.set(id, { doc, until: Date.now() + this.cacheSeconds * 1000 });
    }
    return doc;
  }

  /** Uncached read, for changes (admin pages, CLI). */
  async fresh(id: unknown): Promise<ClientDoc | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) return null;
    return this.db.clients.findOne({ _id: id });
  }

  async require(id: string): Promise<ClientDoc> {
    const client = await this.fresh(id);
    if (!client) throw new AppError('unknown_client', `No client with id "${id}".`, 404);
    return client;
  }

  async list(): Promise<ClientDoc[]> {
    return this.db.clients.find({}, { sort: { createdAt: 1 } }).toArray();
  }

  async count(): Promise<number> {
    return this.db.clients.countDocuments({});
  }

  /** Names of the clients that exist among `ids` (a deleted client is simply absent). */
  async namesByIds(ids: string[]): Promise<Map<string, string>> {
    const docs = await this.db.clients.find({ _id: { $in: ids } }, { projection: { _id: 1, name: 1 } }).toArray();
    return new Map(docs.map((c) => [c._id, c.name]));
  }

  /** Whether some client registered this exact origin (CORS preflight). */
  async anyAllowsOrigin(origin: string): Promise<boolean> {
    return (await this.db.clients.countDocuments({ allowedOrigins: origin }, { limit: 1 })) > 0;
  }

  /**
   * Whether some client may use plain PKCE. The discovery document asks on every request, so the
   * answer is kept like a cached client, for CLIENT_CACHE_SECONDS: a client change in this process
   * clears it at once, other processes' (the CLI's) are seen within that time.
   */
  async anyAllowsPlainPkce(): Promise<boolean> {
    if (this.plainPkce && this.plainPkce.until > Date.now()) return this.plainPkce.answer;
    const answer = (await this.db.clients.countDocuments({ allowPlainPkce: true }, { limit: 1 })) > 0;
    if (this.cacheSeconds > 0) this.plainPkce = { answer, until: Date.now() + this.cacheSeconds * 1000 };
    return answer;
  }

  /** The same work as verifySecret for an unknown client (no timing difference). */
  verifySecretDummy(secret: string): void {
    matchesDigest(secret, digest(''));
  }

  verifySecret(client: ClientDoc, secret: string): boolean {
    return !!client.secretDigest && matchesDigest(secret, client.secretDigest);
  }

  async rotateSecret(id: string): Promise<string> {
    const client = await this.require(id);
    if (client.type !== 'confidential') throw new AppError('public_client', 'A public client has no secret to rotate.');
    const secret = randomToken(36);
    await this.db.clients.updateOne({ _id: client._id }, { $set: { secretDigest: digest(secret), updatedAt: new Date() } });
    this.forget(client._id);
    return secret;
  }

  async update(id: string, changes: { name?: string; redirectUris?: string[]; grants?: GrantType[]; skipAuthorization?: boolean; requirePkce?: boolean; allowPlainPkce?: boolean; allowQueryAccessToken?: boolean; allowIntrospection?: boolean; postLogoutRedirectUris?: string[]; revokeTokensOnLogout?: boolean; allowedOrigins?: string[]; logoUri?: string; homePageUri?: string } & TokenLifetimes): Promise<ClientDoc> {
    const client = await this.require(id);
    const $set: Partial<ClientDoc> = { updatedAt: new Date() };
    if (changes.grants !== undefined) {
      const unknown = changes.grants.filter((g) => !GRANT_TYPES.includes(g));
      if (unknown.length || changes.grants.length === 0) throw new AppError('invalid_client_metadata', `grants must be among ${GRANT_TYPES.join(', ')}`);
      if (client.type === 'public' && (changes.grants.includes('client_credentials') || changes.grants.includes('password'))) {
        throw new AppError('invalid_client_metadata', 'A public client cannot use the client_credentials or password grant.');
      }
      $set.grants = [...new Set(changes.grants)];
    }
    const lifetimes = lifetimeSchema.safeParse({ accessTokenLifetime: changes.accessTokenLifetime, refreshIdleTimeout: changes.refreshIdleTimeout, refreshAbsoluteLifetime: changes.refreshAbsoluteLifetime });
    if (!lifetimes.success) throw new AppError('invalid_client_metadata', zodMessage(lifetimes.error));
    Object.assign($set, definedOnly(lifetimes.data));
    if (changes.allowQueryAccessToken !== undefined) $set.allowQueryAccessToken = changes.allowQueryAccessToken;
    if (changes.allowIntrospection !== undefined) $set.allowIntrospection = changes.allowIntrospection;
    if (changes.name !== undefined) {
      const name = changes.name.trim();
      if (!name || name.length > 100) throw new AppError('invalid_client_metadata', 'name is required (at most 100 characters)');
      $set.name = name;
    }
    if (changes.redirectUris !== undefined) {
      const uris = [...new Set(changes.redirectUris.map((u) => u.trim()).filter(Boolean).map(validateRedirectUri))];
      $set.redirectUris = uris;
    }
    if (($set.grants ?? client.grants).includes('authorization_code') && ($set.redirectUris ?? client.redirectUris).length === 0) {
      throw new AppError('invalid_redirect_uri', 'A client using the authorization code grant needs at least one redirect URI.');
    }
    if (changes.skipAuthorization !== undefined) $set.skipAuthorization = changes.skipAuthorization;
    if (changes.requirePkce !== undefined) $set.requirePkce = client.type === 'public' ? true : changes.requirePkce;
    if (changes.allowPlainPkce !== undefined) $set.allowPlainPkce = changes.allowPlainPkce;
    if (changes.postLogoutRedirectUris !== undefined) $set.postLogoutRedirectUris = [...new Set(changes.postLogoutRedirectUris.map((u) => u.trim()).filter(Boolean).map(validateRedirectUri))];
    if (changes.revokeTokensOnLogout !== undefined) $set.revokeTokensOnLogout = changes.revokeTokensOnLogout;
    // Consent-page details ('' = none), validated by the caller (routes/admin/client-appearance.ts).
    if (changes.logoUri !== undefined) $set.logoUri = changes.logoUri;
    if (changes.homePageUri !== undefined) $set.homePageUri = changes.homePageUri;
    if (changes.allowedOrigins !== undefined) $set.allowedOrigins = [...new Set(changes.allowedOrigins.map((o) => o.trim()).filter(Boolean).map(validateAllowedOrigin))];
    await this.db.clients.updateOne({ _id: client._id }, { $set });
    this.forget(client._id);
    return { ...client, ...$set };
  }

  /** Deletes the client and everything issued to it, so no token outlives its client. */
  async delete(id: string): Promise<void> {
    const client = await this.require(id);
    // The final marker first: a token request in flight for this client fails (store/revocations.ts).
    if (this.tokens) await this.tokens.revokeForClient(client._id, { final: true });
    await this.db.clients.deleteOne({ _id: client._id });
    this.forget(client._id);
    await Promise.all([
      this.db.accessTokens.deleteMany({ clientId: client._id }),
      this.db.refreshTokens.deleteMany({ clientId: client._id }),
      this.db.codes.deleteMany({ clientId: client._id }),
      new ConsentStore(this.db).withdrawAllForClient(client._id),
    ]);
  }
}
