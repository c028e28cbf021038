// The storage model @node-oauth/oauth2-server calls for its grant logic. Values are stored as
// digests; single use and rotation are atomic findOneAndUpdate calls, so concurrent
// redemptions of one code or one refresh token have exactly one winner.
import crypto from 'node:crypto';
import type { AuthorizationCodeModel, ClientCredentialsModel, PasswordModel, RefreshTokenModel, Client, User, Token, AuthorizationCode, RefreshToken } from '@node-oauth/oauth2-server';
import type { Config } from '../config';
import type { Database } from '../db/connect';
import { consentId, type ClientDoc } from '../db/schema';
import type { Logger } from '../log';
import { digest, randomToken } from '../security/tokens';
import type { ClientStore } from '../store/clients';
import type { TokenStore } from '../store/tokens';
import type { UserStore } from '../store/users';
import { trackExpiry } from '../sweep/expiry';

export interface ModelDeps {
  db: Database;
  config: Config;
  clients: ClientStore;
  users: UserStore;
  tokens: TokenStore;
  log: Logger;
}

/** Grant context carried through the library on the `user` object (it passes `user` from lookup to saveToken). */
interface GrantUser extends User {
  id: string | null;
  familyId?: string;
  refreshTokenId?: string;
}

export function toLibraryClient(c: ClientDoc): Client {
  return { id: c._id, grants: c.grants, redirectUris: c.redirectUris, doc: c };
}

export type OAuthModel = AuthorizationCodeModel & RefreshTokenModel & ClientCredentialsModel & PasswordModel;

export function createOAuthModel(deps: ModelDeps): OAuthModel {
  const { db, config, tokens, log } = deps;

  const model: OAuthModel = {
    generateAccessToken: async () => randomToken(32),
    generateRefreshToken: async () => randomToken(32),
    generateAuthorizationCode: async () => randomToken(32),

    // Client authentication happens before the library runs (routes/client-auth.ts);
    // here the client is only loaded.
    async getClient(clientId: string) {
      const c = await deps.clients.byId(clientId);
      return c ? toLibraryClient(c) : false;
    },

    async saveAuthorizationCode(code, client, user) {
      const c = code as AuthorizationCode & { codeChallenge?: string; codeChallengeMethod?: 'S256' | 'plain' };
      await Promise.all([trackExpiry(db, [{ collection: 'authorization_codes', id: digest(c.authorizationCode), expiresAt: c.expiresAt }]), db.codes.insertOne({
        _id: digest(c.authorizationCode),
        clientId: client.id,
        userId: user.id,
        redirectUri: c.redirectUri,
        scope: c.scope ?? [],
        codeChallenge: c.codeChallenge,
        codeChallengeMethod: c.codeChallengeMethod,
        expiresAt: c.expiresAt,
        usedAt: null,
        createdAt: new Date(),
      })]);
      return { ...c, client, user };
    },

    async getAuthorizationCode(code) {
      const id = digest(code);
      const doc = await db.codes.findOne({ _id: id });
      if (!doc) return false;
      if (doc.usedAt) {
        // RFC 6749 §4.1.2: a replayed code revokes every token issued from it.
        log.warn({ event: 'code_replay', clientId: doc.clientId, userId: doc.userId }, 'authorization code used twice: revoking the tokens issued from it');
        await tokens.revokeFamily(id);
        return false;
      }
      return {
        authorizationCode: code,
        expiresAt: doc.expiresAt,
        redirectUri: doc.redirectUri,
        scope: doc.scope,
        client: { id: doc.clientId, grants: [] },
        user: { id: doc.userId, familyId: id } as GrantUser,
        codeChallenge: doc.codeChallenge,
        codeChallengeMethod: doc.codeChallengeMethod,
      } as AuthorizationCode;
    },

    async revokeAuthorizationCode(code) {
      const id = digest(code.authorizationCode);
      if (!(await tokens.claimOnce(`code:${id}`, code.expiresAt))) return false;
      await db.codes.updateOne({ _id: id }, { $set: { usedAt: new Date() } });
      return true;
    },

    async getRefreshToken(refreshToken) {
      const doc = await tokens.findRefreshToken(refreshToken);
      if (!doc) return false;
      if (doc.revokedAt) {
        const inGrace = doc.rotatedAt && Date.now() - doc.rotatedAt.getTime() < config.REFRESH_TOKEN_GRACE_SECONDS * 1000;
        if (!inGrace) {
          log.warn({ event: 'refresh_token_reuse', clientId: doc.clientId, userId: doc.userId }, 'retired refresh token presented again: revoking its whole family');
          await tokens.revokeFamily(doc.familyId);
        }
        return false;
      }
      const user: GrantUser = { id: doc.userId, familyId: doc.familyId, refreshTokenId: doc._id };
      return {
        refreshToken,
        refreshTokenExpiresAt: doc.expiresAt,
        scope: doc.scope,
        client: { id: doc.clientId, grants: [] },
        user,
      } as RefreshToken;
    },

    async revokeToken(token) {
      return tokens.retireRefreshToken(token.refreshToken);
    },

    async saveToken(token, client, user) {
      const u = user as GrantUser;
      const t = token as Token & { authorizationCode?: string };
      const familyId = u.familyId ?? (t.authorizationCode ? digest(t.authorizationCode) : crypto.randomUUID());
      const now = new Date();
      const accessTokenId = digest(t.accessToken);
      const accessExpiresAt = t.accessTokenExpiresAt ?? new Date(now.getTime() + config.ACCESS_TOKEN_EXPIRE_SECONDS * 1000);
      const refreshExpiresAt = t.refreshTokenExpiresAt ?? new Date(now.getTime() + config.REFRESH_TOKEN_EXPIRE_SECONDS * 1000);
      // Due-list entries (FerretDB) beside the insert; both under the later expiry: one command.
      const dueAt = t.refreshToken && u.id ? new Date(Math.max(accessExpiresAt.getTime(), refreshExpiresAt.getTime())) : accessExpiresAt;
      const tracked = trackExpiry(db, [
        { collection: 'access_tokens', id: accessTokenId, expiresAt: dueAt },
        ...(t.refreshToken && u.id ? [{ collection: 'refresh_tokens', id: digest(t.refreshToken), expiresAt: dueAt }] : []),
      ]);
      tracked.catch(() => undefined); // awaited below; never an unhandled rejection
      await db.accessTokens.insertOne({
        _id: accessTokenId,
        clientId: client.id,
        userId: u.id ?? null,
        scope: t.scope ?? [],
        familyId,
        expiresAt: accessExpiresAt,
        revokedAt: null,
        createdAt: now,
      });
      try {
        if (t.refreshToken && u.id) {
          await db.refreshTokens.insertOne({
            _id: digest(t.refreshToken),
            clientId: client.id,
            userId: u.id,
            scope: t.scope ?? [],
            familyId,
            accessTokenId,
            expiresAt: refreshExpiresAt,
            revokedAt: null,
            rotatedAt: null,
            createdAt: now,
          });
        } else if (u.refreshTokenId) {
          // Rotation off: the same refresh token now stands for the new access token.
          await db.refreshTokens.updateOne({ _id: u.refreshTokenId }, { $set: { accessTokenId } });
        }
        await tracked;
      } catch (err) {
        await db.accessTokens.deleteOne({ _id: accessTokenId });
        throw err;
      }
      if (u.id) {
        await db.consents.updateOne({ _id: consentId(u.id, client.id) }, { $set: { lastUsedAt: now } });
      }
      return { ...t, client, user: { id: u.id } };
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
