// Browser sessions: express-session stored in MongoDB (shared by every instance).
// Expired sessions are deleted by the sweeper (src/jobs/). Sessions are
// stored under a digest of their id, so a database dump holds no usable session cookie.
// Only signed-in browsers have a session: visitors get none (saveUninitialized false, and the
// sign-in form's CSRF token lives in a signed cookie, see csrf.ts).
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import type { Config } from '../../kernel/config';
import { purposeKeys } from '../../kernel/secrets';
import type { Database } from '../../db/connect';
import { trackSessionExpiry } from '../../store/sessions';
import { digest } from '../../kernel/security/tokens';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    authTime?: number;
  }
}

export const SESSION_COOKIE = 'hrm_sso_session';


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
    // The derived key signs; the raw root secrets still verify cookies issued before keys were derived.
    secret: purposeKeys(config, 'session-cookie', { legacyRoots: true }),
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
