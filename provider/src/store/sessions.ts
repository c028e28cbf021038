// Browser sessions (connect-mongo) expire on the sweeper's terms too: connect-mongo's own
// "interval" cleanup is a deleteMany on `expires` — a whole-collection read on FerretDB — and its
// "native" mode needs TTL indexes. So its cleanup is disabled and every write of a session
// (set, touch) enters it in the due lists with a check on `expires` (a touched session moves on).
// Sessions are stored under a digest of their id (web/session.ts): the entry names that digest.
import type MongoStore from 'connect-mongo';
import type { SessionData } from 'express-session';
import type { Database } from '../db/connect';
import { trackExpiry } from '../db/expiry';
import { digest } from '../kernel/security/tokens';

type Callback = (err?: unknown) => void;

export function trackSessionExpiry(store: MongoStore, database: Pick<Database, 'db'>, ttlSeconds: number): void {
  const due = (sid: string, session: SessionData) => {
    const expires = session?.cookie?.expires ? new Date(session.cookie.expires) : new Date(Date.now() + ttlSeconds * 1000);
    return trackExpiry(database, [{ collection: 'sessions', id: digest(sid), expiresAt: expires, checkField: 'expires' }]);
  };
  for (const method of ['set', 'touch'] as const) {
    const original = store[method].bind(store) as (sid: string, session: SessionData, cb?: Callback) => void;
    (store as unknown as Record<string, unknown>)[method] = (sid: string, session: SessionData, cb?: Callback) => {
      original(sid, session, (err?: unknown) => {
        if (err) return cb?.(err);
        due(sid, session).then(() => cb?.(), (e) => cb?.(e));
      });
    };
  }
}
