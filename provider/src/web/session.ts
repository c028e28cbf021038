// Browser sessions: express-session stored in MongoDB (shared by every instance).
// Expired sessions are deleted by the sweeper (src/sweep/). Sessions are
// stored under a digest of their id, so a database dump holds no usable session cookie.
// Only signed-in browsers have a session: visitors get none (saveUninitialized false, and the
// sign-in form's CSRF token lives in a signed cookie, see csrf.ts).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/connect';
import { trackSessionExpiry } from '../sweep/sessions';
import { digest } from '../security/tokens';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    authTime?: number;
  }
}

export const SESSION_COOKIE = 'hrm_sso_session';

/** SESSION_SECRETS / SESSION_SECRET (the first signs, all verify: rotation), or in development a secret generated once and kept in DATA_DIR. */
export function resolveSessionSecret(config: Config): string | string[] {
  if (config.sessionSecrets?.length) return config.sessionSecrets;
  const file = path.join(config.DATA_DIR, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    const secret = crypto.randomBytes(48).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return fs.readFileSync(file, 'utf8').trim();
  }
}

/** connect-mongo keyed by SHA-256 of the session id instead of the id itself. */
class DigestedSessionStore extends MongoStore {
  get(sid: string, callback: Parameters<MongoStore['get']>[1]): void {
    super.get(digest(sid), callback);
  }
  set(sid: string, s: Parameters<MongoStore['set']>[1], callback?: Parameters<MongoStore['set']>[2]): void {
    super.set(digest(sid), s, callback);
  }
  touch(sid: string, s: Parameters<MongoStore['touch']>[1], callback?: Parameters<MongoStore['touch']>[2]): void {
    super.touch(digest(sid), s, callback);
  }
  destroy(sid: string, callback?: Parameters<MongoStore['destroy']>[1]): void {
    super.destroy(digest(sid), callback);
  }
}

export function createSessionMiddleware(config: Config, db: Database): { middleware: RequestHandler; store: MongoStore } {
  const store = new DigestedSessionStore({
    client: db.client,
    dbName: db.db.databaseName,
    collectionName: 'sessions',
    ttl: config.SESSION_MAX_AGE_SECONDS,
    // Expiry is the sweeper's job (TTL index on MongoDB, due lists on FerretDB): sweep/sessions.ts.
    autoRemove: 'disabled',
    stringify: false,
    touchAfter: 60,
  });
  trackSessionExpiry(store, db, config.SESSION_MAX_AGE_SECONDS);
  const middleware = session({
    name: SESSION_COOKIE,
    secret: resolveSessionSecret(config),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: config.SESSION_MAX_AGE_SECONDS * 1000,
      path: '/',
    },
  });
  return { middleware, store };
}
