// A user's own browser sessions (express-session documents in `sessions`, stored under the
// SHA-256 of the session id, web/session.ts): list them, end one, end all but this one.
// Only the digest ever leaves the database, and only to its owner's page.
import type { Database } from '../db/connect';
import { digest } from '../kernel/security/tokens';

declare module 'express-session' {
  interface SessionData {
    /** Shown in the session list ("Firefox on Linux"), recorded at sign-in. */
    userAgent?: string;
    ip?: string;
    /** Password checked, second factor still to come (routes/login-two-factor.ts). */
    pendingLogin?: { userId: string; next: string; expiresAt: number };
    /** Two-factor set-up started: the new secret, sealed, until confirmed with a code. */
    enrolment?: { sealed: string; expiresAt: number };
  }
}

interface StoredSession {
  _id: string;
  expires?: Date;
  session?: { userId?: string; authTime?: number; userAgent?: string; ip?: string };
}

export interface BrowserSessionView {
  id: string;
  current: boolean;
  signedInAt?: Date;
  expires?: Date;
  device: string;
  ip?: string;
}

function sessions(db: Database) {
  return db.db.collection<StoredSession>('sessions');
}

/** "Firefox on Linux" from a User-Agent header; good enough to recognise one's own devices. */
export function describeUserAgent(ua: string | undefined): string {
  if (!ua) return 'Unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl\//.test(ua) ? 'curl' : 'A browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : undefined;
  return os ? `${browser} on ${os}` : browser;
}

export async function listSessions(db: Database, userId: string, currentSid: string): Promise<BrowserSessionView[]> {
  const mine = digest(currentSid);
  const rows = await sessions(db)
    .find({ 'session.userId': userId, expires: { $gt: new Date() } }, { limit: 200 })
    .toArray();
  return rows
    .map((r) => ({
      id: r._id,
      current: r._id === mine,
      signedInAt: r.session?.authTime ? new Date(r.session.authTime) : undefined,
      expires: r.expires,
      device: describeUserAgent(r.session?.userAgent),
      ip: r.session?.ip,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || (b.signedInAt?.getTime() ?? 0) - (a.signedInAt?.getTime() ?? 0));
}

/** Ends one of the user's sessions; false when it is not theirs or already over. */
export async function endOneSession(db: Database, userId: string, id: string): Promise<boolean> {
  const r = await sessions(db).deleteOne({ _id: id, 'session.userId': userId });
  return r.deletedCount === 1;
}

/** Ends every session of the user except the one with this id. */
export async function endOtherSessions(db: Database, userId: string, currentSid: string): Promise<number> {
  const r = await sessions(db).deleteMany({ 'session.userId': userId, _id: { $ne: digest(currentSid) } });
  return r.deletedCount;
}
