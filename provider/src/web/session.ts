// Browser sessions: express-session stored in MongoDB (shared by every instance).
// Expired sessions are deleted by the sweeper (src/sweep/).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/connect';
import { trackSessionExpiry } from '../sweep/sessions';

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

export function createSessionMiddleware(config: Config, db: Database): { middleware: RequestHandler; store: MongoStore } {
  const store = MongoStore.create({
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
