// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), off unless
// DYNAMIC_CLIENT_REGISTRATION=true. Registering needs an initial access token from the CLI (single
// use); each registered client gets its own registration access token for read, update and delete.
import type { Config } from '../../kernel/config';
import type { ClientDoc, GrantType } from '../../db/schema';
import { AppError } from '../../kernel/errors';
import { digest, matchesDigest, randomToken } from '../../kernel/security/tokens';
import type { ClientStore } from '../../store/clients';
import { checkAppearance } from '../../store/client-appearance';
import type { TokenStore } from '../../store/tokens';
import { DEVICE_CODE_GRANT } from './device';
import type { RegistrationStore } from '../../store/registrations';

const REGISTRABLE_GRANTS: GrantType[] = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT];
const RESPONSE_TYPES = ['code', 'code id_token'];
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];

/** RFC 7591 §3.2.2 error: invalid_redirect_uri or invalid_client_metadata. */
export class RegistrationError extends AppError {
  constructor(code: 'invalid_redirect_uri' | 'invalid_client_metadata', message: string) {
    super(code, message, 400);
  }
}

export interface ClientMetadata {
  client_name: string;
  redirect_uris: string[];
  grant_types: GrantType[];
  response_types: string[];
  token_endpoint_auth_method: string;
  post_logout_redirect_uris: string[];
  /** The consent page's logo (https only, as on the admin page); '' when not given. */
  logo_uri: string;
  /** The client's home page, linked from the consent page; '' when not given. */
  client_uri: string;
}

/** logo_uri and client_uri, checked by the admin form's rules (store/client-appearance.ts). */
function appearanceOf(b: Record<string, unknown>): { logo_uri: string; client_uri: string } {
  for (const name of ['logo_uri', 'client_uri']) {
    if (b[name] !== undefined && typeof b[name] !== 'string') throw new RegistrationError('invalid_client_metadata', `${name} must be a string.`);
  }
  const logo = (b.logo_uri as string | undefined) ?? '';
  const home = (b.client_uri as string | undefined) ?? '';
  const logoCheck = checkAppearance({ logoUri: logo });
  if (!logoCheck.ok) throw new RegistrationError('invalid_client_metadata', `logo_uri: ${logoCheck.message}`);
  const homeCheck = checkAppearance({ homePageUri: home });
  if (!homeCheck.ok) throw new RegistrationError('invalid_client_metadata', `client_uri: ${homeCheck.message}`);
  return { logo_uri: logoCheck.logoUri ?? '', client_uri: homeCheck.homePageUri ?? '' };
}

function stringArray(v: unknown, name: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new RegistrationError(name === 'redirect_uris' ? 'invalid_redirect_uri' : 'invalid_client_metadata', `${name} must be an array of strings.`);
  return v as string[];
}

/** Reads the metadata we act on; other members are ignored (RFC 7591 §2). */
export function parseClientMetadata(body: unknown): ClientMetadata {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new RegistrationError('invalid_client_metadata', 'The request body must be a JSON object of client metadata.');
  const b = body as Record<string, unknown>;
  if (b.client_name !== undefined && typeof b.client_name !== 'string') throw new RegistrationError('invalid_client_metadata', 'client_name must be a string.');
  const grants = stringArray(b.grant_types, 'grant_types') ?? ['authorization_code'];
  const refused = grants.filter((g) => !REGISTRABLE_GRANTS.includes(g as GrantType));
  if (refused.length) throw new RegistrationError('invalid_client_metadata', `Grant types not offered through registration: ${refused.join(', ')} (allowed: ${REGISTRABLE_GRANTS.join(', ')}).`);
  const responseTypes = stringArray(b.response_types, 'response_types') ?? (grants.includes('authorization_code') ? ['code'] : []);
  const badTypes = responseTypes.filter((t) => !RESPONSE_TYPES.includes(t));
  if (badTypes.length) throw new RegistrationError('invalid_client_metadata', `Unsupported response types: ${badTypes.join(', ')} (front-channel access tokens are refused, RFC 9700).`);
  if (responseTypes.length && !grants.includes('authorization_code')) throw new RegistrationError('invalid_client_metadata', 'response_types need the authorization_code grant.');
  const method = b.token_endpoint_auth_method ?? 'client_secret_basic';
  if (typeof method !== 'string' || !AUTH_METHODS.includes(method)) throw new RegistrationError('invalid_client_metadata', `token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}.`);
  return {
    client_name: ((b.client_name as string | undefined) ?? 'Registered client').trim() || 'Registered client',
    redirect_uris: stringArray(b.redirect_uris, 'redirect_uris') ?? [],
    grant_types: [...new Set(grants)] as GrantType[],
    response_types: responseTypes,
    token_endpoint_auth_method: method,
    post_logout_redirect_uris: stringArray(b.post_logout_redirect_uris, 'post_logout_redirect_uris') ?? [],
    ...appearanceOf(b),
  };
}

export function metadataOf(c: ClientDoc, config: Config): Record<string, unknown> {
  return {
    client_id: c._id,
    client_id_issued_at: Math.floor(c.createdAt.getTime() / 1000),
    client_name: c.name,
    redirect_uris: c.redirectUris,
    grant_types: c.grants,
    // Every code client may also use "code id_token"; "code" is what libraries default to.
    response_types: c.grants.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: c.type === 'public' ? 'none' : 'client_secret_basic',
    post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
    ...(c.logoUri ? { logo_uri: c.logoUri } : {}),
    ...(c.homePageUri ? { client_uri: c.homePageUri } : {}),
    registration_client_uri: `${config.issuer}/o/register/${encodeURIComponent(c._id)}`,
  };
}

export class Registrations {
  constructor(
    private readonly store: RegistrationStore,
    private readonly clients: ClientStore,
    private readonly tokens: TokenStore,
  ) {}

  /** CLI: a single-use initial access token, shown once. */
  async createInitialToken(expiresInSeconds: number, note?: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + expiresInSeconds * 1000);
    const id = digest(token);
    await this.store.addInitialToken(id, note, now, expiresAt);
    return { token, expiresAt };
  }

  /** Registers a client with an initial access token; the token is spent only by a successful registration. */
  async register(initialToken: string, metadata: ClientMetadata, now = new Date()): Promise<{ client: ClientDoc; clientSecret: string | null; registrationAccessToken: string } | 'bad_token'> {
    const id = digest(initialToken);
    const doc = await this.store.initialToken(id);
    if (!doc || doc.usedAt || doc.expiresAt <= now) return 'bad_token';
    let created;
    try {
      created = await this.clients.create({
        name: metadata.client_name.slice(0, 100),
        redirectUris: metadata.redirect_uris,
        type: metadata.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
        grants: metadata.grant_types,
        preset: 'oidc-web',
        postLogoutRedirectUris: metadata.post_logout_redirect_uris,
      });
      if (metadata.logo_uri || metadata.client_uri) {
        created.client = await this.clients.update(created.client._id, { logoUri: metadata.logo_uri, homePageUri: metadata.client_uri });
      }
    } catch (err) {
      if (err instanceof AppError) throw new RegistrationError(err.code === 'invalid_redirect_uri' ? 'invalid_redirect_uri' : 'invalid_client_metadata', err.message);
      throw err;
    }
    // Single use even under concurrency: the unique claim decides; the loser's client is removed.
    if (!(await this.tokens.claimOnce(`registration:${id}`, doc.expiresAt))) {
      await this.clients.delete(created.client._id);
      return 'bad_token';
    }
    await this.store.markInitialTokenUsed(id, created.client._id, now);
    const registrationAccessToken = randomToken(32);
    await this.store.addRegistration(created.client._id, digest(registrationAccessToken), now);
    return { ...created, registrationAccessToken };
  }

  /** RFC 7592: the client a registration access token manages, or null. */
  async authorize(clientId: string, registrationAccessToken: string | undefined): Promise<ClientDoc | null> {
    if (!registrationAccessToken) return null;
    const reg = await this.store.registration(clientId);
    if (!reg || !matchesDigest(registrationAccessToken, reg.accessTokenDigest)) return null;
    return this.clients.byId(clientId);
  }

  async update(client: ClientDoc, metadata: ClientMetadata): Promise<ClientDoc> {
    if (JSON.stringify([...metadata.grant_types].sort()) !== JSON.stringify([...client.grants].sort())) {
      throw new RegistrationError('invalid_client_metadata', 'grant_types cannot be changed; register a new client.');
    }
    if ((metadata.token_endpoint_auth_method === 'none') !== (client.type === 'public')) {
      throw new RegistrationError('invalid_client_metadata', 'token_endpoint_auth_method cannot be changed; register a new client.');
    }
    try {
      return await this.clients.update(client._id, { name: metadata.client_name.slice(0, 100), redirectUris: metadata.redirect_uris, postLogoutRedirectUris: metadata.post_logout_redirect_uris, logoUri: metadata.logo_uri, homePageUri: metadata.client_uri });
    } catch (err) {
      if (err instanceof AppError) throw new RegistrationError(err.code === 'invalid_redirect_uri' ? 'invalid_redirect_uri' : 'invalid_client_metadata', err.message);
      throw err;
    }
  }

  async remove(client: ClientDoc): Promise<void> {
    await this.clients.delete(client._id);
    await this.store.removeRegistration(client._id);
  }
}
