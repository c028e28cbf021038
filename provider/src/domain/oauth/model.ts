// The storage model @node-oauth/oauth2-server calls for the authorization_code, password and
// client_credentials grants (the refresh_token grant is ours: oauth/refresh-grant.ts). Issuing
// goes through TokenStore.issue: insert, single-use step, revocation re-check (store/tokens.ts).
//
// Database commands per code exchange: read the code, insert the access token, insert the
// refresh token (unique parentId = the single-use step), read the revocation markers — 4.
// The client comes from the ClientStore cache.
import { InvalidGrantError, type AuthorizationCodeModel, type ClientCredentialsModel, type PasswordModel, type Client, type User, type Token, type AuthorizationCode } from '@node-oauth/oauth2-server';
import type { Config } from '../../kernel/config';
import type { Clock } from '../../kernel/clock';
import type { ClientDoc } from '../../db/schema';
import type { Logger } from '../../kernel/log';
import { digest, randomToken } from '../../kernel/security/tokens';
import type { ClientStore } from '../../store/clients';
import { newFamilyId, type TokenStore } from '../../store/tokens';
import type { UserStore } from '../../store/users';
import type { TwoFactorStore } from '../../store/two-factor';
import type { PasskeyStore } from '../../store/passkeys';
import { addSeconds, lifetimesFor, refreshExpiry } from './lifetimes';

export interface ModelDeps {
  config: Config;
  clock: Clock;
  clients: ClientStore;
  users: UserStore;
  tokens: TokenStore;
  log: Logger;
  /** TWO_FACTOR_REQUIRED policy: the password grant refuses accounts that must enrol first (absent: policy not checked). */
  twoFactor?: Pick<TwoFactorStore, 'required'>;
  /** A passkey is a second factor too: the password grant refuses such accounts. */
  passkeys: PasskeyStore;
}

/** Grant context carried through the library on the `user` object (it passes `user` from lookup to saveToken). */
export interface GrantUser extends User {
  id: string | null;
  /** The code's digest (code exchange). */
  familyId?: string;
  /** When the consumed credential was created (the code); markers newer than it revoke the issue. */
  credentialCreatedAt?: Date;
  /** Fields stored with the code at /o/authorize/ (e.g. an OIDC nonce), for token-response hooks. */
  codeExtra?: Record<string, unknown>;
}

export function toLibraryClient(c: ClientDoc, config?: Config): Client {
  const lifetimes = config ? lifetimesFor(c, config) : undefined;
  return { id: c._id, grants: c.grants, redirectUris: c.redirectUris, doc: c, accessTokenLifetime: lifetimes?.accessSeconds, refreshTokenLifetime: lifetimes?.refreshIdleSeconds };
}

export type OAuthModel = AuthorizationCodeModel & ClientCredentialsModel & PasswordModel;

export function createOAuthModel(deps: ModelDeps): OAuthModel {
  const { config, tokens, log, clock } = deps;

  const model: OAuthModel = {
    generateAccessToken: async () => randomToken(32),
    generateRefreshToken: async () => randomToken(32),
    generateAuthorizationCode: async () => randomToken(32),

    // Client authentication happens before the library runs (oauth/client-auth.ts); here the
    // client is only loaded (from the cache).
    async getClient(clientId: string) {
      const c = await deps.clients.byId(clientId);
      return c ? toLibraryClient(c, config) : false;
    },

    async saveAuthorizationCode(code, client, user) {
      const c = code as AuthorizationCode & { codeChallenge?: string; codeChallengeMethod?: 'S256' | 'plain'; extra?: Record<string, unknown> };
      await tokens.saveCode({
        _id: digest(c.authorizationCode),
        clientId: client.id,
        userId: user.id,
        redirectUri: c.redirectUri,
        scope: c.scope ?? [],
        codeChallenge: c.codeChallenge,
        codeChallengeMethod: c.codeChallengeMethod,
        expiresAt: c.expiresAt,
        createdAt: clock.now(),
        ...(c.extra ? { extra: c.extra } : {}),
      });
      return { ...c, client, user };
    },

    async getAuthorizationCode(code) {
      const doc = await tokens.codeByDigest(digest(code));
      if (!doc) return false;
      const user: GrantUser = { id: doc.userId, familyId: doc._id, credentialCreatedAt: doc.createdAt, codeExtra: doc.extra };
      return {
        authorizationCode: code,
        expiresAt: doc.expiresAt,
        redirectUri: doc.redirectUri,
        scope: doc.scope,
        client: { id: doc.clientId, grants: [] },
        user,
        codeChallenge: doc.codeChallenge,
        codeChallengeMethod: doc.codeChallengeMethod,
      } as AuthorizationCode;
    },

    // The single-use step is the unique insert in saveToken (no extra round trip here).
    async revokeAuthorizationCode() {
      return true;
    },

    async saveToken(token, client, user) {
      const u = user as GrantUser;
      const t = token as Token & { authorizationCode?: string };
      const doc = (client as Client & { doc?: ClientDoc }).doc ?? (await deps.clients.byId(client.id));
      if (!doc) throw new InvalidGrantError('Invalid grant: unknown client');
      const now = clock.now();
      const lifetimes = lifetimesFor(doc, config);
      const fromCode = t.authorizationCode !== undefined;
      const familyId = fromCode ? u.familyId ?? digest(t.authorizationCode!) : newFamilyId();
      const withRefresh = !!t.refreshToken && !!u.id && doc.grants.includes('refresh_token');
      const grantExpiresAt = addSeconds(now, lifetimes.refreshAbsoluteSeconds);
      const accessTokenExpiresAt = addSeconds(now, lifetimes.accessSeconds);
      const result = await tokens.issue({
        client: doc,
        userId: u.id ?? null,
        scope: t.scope ?? [],
        familyId,
        accessToken: t.accessToken,
        accessTokenExpiresAt,
        credentialCreatedAt: fromCode ? u.credentialCreatedAt ?? now : now,
        refresh: withRefresh
          ? { token: t.refreshToken!, expiresAt: refreshExpiry(now, lifetimes.refreshIdleSeconds, grantExpiresAt), grantExpiresAt, parentId: fromCode ? `code:${familyId}` : `grant:${familyId}` }
          : undefined,
        claimId: fromCode && !withRefresh ? `code:${familyId}` : undefined,
      });
      if (!result.issued && result.reason === 'already_used') {
        // RFC 6749 §4.1.2: a code presented twice revokes what it issued. Its tokens all exist
        // by now (the single-use step comes after them), so no marker is needed — and the first
        // redemption still gets its answer (exactly one winner in a race).
        // One loser revokes (a unique claim): 199 concurrent updateMany scans would only queue on the database.
        if (await tokens.claimOnce(`replay:${familyId}`, addSeconds(now, 3600))) {
          log.warn({ event: 'code_replay', clientId: doc._id, userId: u.id }, 'authorization code used twice: revoking the tokens issued from it');
          await tokens.revokeIssuedFrom(familyId);
        }
        throw new InvalidGrantError('Invalid grant: authorization code is invalid');
      }
      if (!result.issued) {
        log.warn({ event: 'grant_revoked_during_issue', clientId: doc._id, userId: u.id }, 'the grant was revoked while tokens were being issued');
        throw new InvalidGrantError('Invalid grant: the grant was revoked');
      }
      // The library derives expires_in from its own (wall-clock) expiry: the client's lifetime.
      const issued = { ...t, client, user: { id: u.id } } as Token;
      if (!withRefresh) {
        delete issued.refreshToken;
        delete issued.refreshTokenExpiresAt;
      }
      return issued;
    },

    async getAccessToken() {
      // Bearer checks go through TokenStore.findActiveAccessToken (routes/userinfo.ts).
      return false;
    },

    async getUserFromClient(client) {
      return { id: null, clientId: client.id } as GrantUser;
    },

    async getUser(username, password) {
      const user = await deps.users.authenticate(username, password);
      // The password grant cannot ask for the second factor: for an account that has one it answers
      // exactly as for a wrong password (no oracle that confirms the password without the code).
      if (user && (user.twoFactor || (await deps.passkeys.count(user._id)) > 0)) {
        deps.log.info({ event: 'login_failed', reason: 'two_factor_required', username: user.username }, 'password grant refused: the account uses two-factor sign-in');
        return false;
      }
      // Nor for an account TWO_FACTOR_REQUIRED says must set it up first: it would get tokens
      // without ever enrolling. Same answer as a wrong password.
      if (user && deps.twoFactor?.required(user)) {
        deps.log.info({ event: 'login_failed', reason: 'two_factor_enrolment_required', username: user.username }, 'password grant refused: the account must set up two-factor sign-in first');
        return false;
      }
      return user ? ({ id: user._id } as GrantUser) : false;
    },

    async validateScope(_user, _client, scope) {
      const requested = scope && scope.length ? scope : config.defaultScopes;
      return requested.every((s) => config.scopes.includes(s)) ? [...new Set(requested)] : false;
    },

    async verifyScope() {
      return true;
    },
  };
  return model;
}
