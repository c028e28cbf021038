// The OpenID Connect layer over the OAuth 2.0 provider: what the authorize, token and userinfo
// routes call (each through one small hook) to add ID tokens and OIDC-shaped claims.
import type { Config } from '../../kernel/config';
import type { Database } from '../../db/connect';
import type { AccessTokenDoc, ClientDoc, UserDoc } from '../../db/schema';
import { digest } from '../../kernel/security/tokens';
import type { ClientStore } from '../../store/clients';
import type { TokenStore } from '../../store/tokens';
import type { UserStore } from '../../store/users';
import { claimValues, claimsBeyondScope, requestedClaimNames, scopeClaimNames } from './claims';
import { OidcGrants } from '../../store/oidc-grants';
import { signIdToken } from './id-token';
import { SigningKeys } from '../../store/signing-keys';
import { DeviceCodes } from './device';
import { DeviceCodeStore } from '../../store/device-codes';
import { RegistrationStore } from '../../store/registrations';
import { Registrations } from './registration';
import type { ClaimsRequest } from '../../db/oidc-schema';

export interface OidcDeps {
  config: Config;
  db: Database;
  users: UserStore;
  clients: ClientStore;
  tokens: TokenStore;
}

/** Rocket.Chat's own consumers keep the DOT-style userinfo body whatever scope they ask for. */
const LEGACY_USERINFO_PRESETS = ['rocketchat-login', 'rocketchat-app'];

export class OidcService {
  readonly keys: SigningKeys;
  readonly grants: OidcGrants;
  readonly devices: DeviceCodes;
  readonly registrations: Registrations;

  constructor(private readonly deps: OidcDeps) {
    this.keys = new SigningKeys(deps.db, deps.config);
    this.grants = new OidcGrants(deps.db, deps.config);
    this.devices = new DeviceCodes(new DeviceCodeStore(deps.db), deps.config, deps.tokens);
    this.registrations = new Registrations(new RegistrationStore(deps.db), deps.clients, deps.tokens);
  }

  /** Claims the consent page must name because the claims request asks beyond the scopes. */
  extraClaims(scope: string[], claims?: ClaimsRequest): string[] {
    return scope.includes('openid') ? claimsBeyondScope(scope, claims) : [];
  }

  /** Called with each authorization code issued for an `openid` request. */
  async recordAuthorization(code: string, a: { clientId: string; userId: string; nonce?: string; authTimeMs?: number; amr?: string[]; claims?: ClaimsRequest }): Promise<void> {
    await this.grants.save({
      _id: digest(code),
      clientId: a.clientId,
      userId: a.userId,
      nonce: a.nonce,
      authTime: Math.floor((a.authTimeMs ?? Date.now()) / 1000),
      ...(a.amr ? { amr: a.amr } : {}),
      claims: a.claims,
    });
  }

  /** The front-channel ID token of the hybrid flow (`code id_token`): nonce and c_hash, no at_hash, no profile claims (OIDC Core §5.4). */
  async hybridIdToken(code: string, user: UserDoc, clientId: string, scope: string[]): Promise<string> {
    const grant = await this.grants.find(digest(code));
    if (!grant) throw new Error('OIDC grant missing for a freshly issued code');
    return signIdToken(this.keys, { issuer: this.deps.config.issuer, ttlSeconds: this.deps.config.ID_TOKEN_EXPIRE_SECONDS, user, clientId, scope, grant, includeNonce: true, code, scopeClaims: false });
  }

  /**
   * Adds `id_token` to a token response when the grant was an OpenID Connect authorization:
   * on the code exchange (with the nonce) and on refresh (without it, OIDC Core §12.2).
   */
  async tokenResponse(body: Record<string, unknown>, grantType: string): Promise<Record<string, unknown>> {
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return body;
    const scope = typeof body.scope === 'string' ? body.scope.split(' ') : [];
    if (!scope.includes('openid') || typeof body.access_token !== 'string') return body;
    const token = await this.deps.tokens.findAccessToken(body.access_token);
    const grant = token ? await this.grants.find(token.familyId) : null;
    const user = token?.userId ? await this.deps.users.byId(token.userId) : null;
    if (!token || !grant || !user) return body;
    const idToken = await signIdToken(this.keys, {
      issuer: this.deps.config.issuer,
      ttlSeconds: this.deps.config.ID_TOKEN_EXPIRE_SECONDS,
      user,
      clientId: token.clientId,
      scope,
      grant,
      includeNonce: grantType === 'authorization_code',
      accessToken: body.access_token,
    });
    await this.grants.touch(grant._id);
    return { ...body, id_token: idToken };
  }

  /**
   * Userinfo in OpenID Connect shape (sub plus the claims the scopes and the claims request
   * release), or undefined when the caller should keep the DOT-style body (no `openid` scope,
   * or one of Rocket.Chat's own clients).
   */
  async userinfo(token: AccessTokenDoc, user: UserDoc, client?: ClientDoc | null): Promise<Record<string, unknown> | undefined> {
    if (!token.scope.includes('openid')) return undefined;
    const c = client === undefined ? await this.deps.clients.byId(token.clientId) : client;
    if (c && LEGACY_USERINFO_PRESETS.includes(c.preset)) return undefined;
    const grant = await this.grants.find(token.familyId);
    const names = [...new Set([...scopeClaimNames(token.scope), ...requestedClaimNames(grant?.claims?.userinfo)])];
    return { sub: user._id, ...claimValues(user, names) };
  }
}
