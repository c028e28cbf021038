// The challenge of a passkey ceremony lives in the server-side session (never trusted from the
// client), for one purpose, until it expires; taking it removes it, so it answers once. The
// service also claims it in the database (PasskeyService), so two requests racing with one
// session copy cannot both use it.
import type { Request } from 'express';

export type ChallengePurpose = 'register' | 'second-step' | 'passwordless';

declare module 'express-session' {
  interface SessionData {
    /** The passkey ceremony in progress (domain/passkeys/challenge.ts). */
    passkeyChallenge?: { purpose: ChallengePurpose; challenge: string; expiresAt: number; name?: string };
  }
}

export function rememberChallenge(req: Request, purpose: ChallengePurpose, challenge: string, seconds: number, name?: string): void {
  req.session.passkeyChallenge = { purpose, challenge, expiresAt: Date.now() + seconds * 1000, ...(name ? { name } : {}) };
}

export type TakenChallenge = { ok: true; challenge: string; expiresAt: number; name?: string } | { ok: false; reason: 'no_challenge' | 'expired_challenge' };

/** Removes the session's challenge and returns it when it is for this purpose and still valid. */
export function takeChallenge(req: Request, purpose: ChallengePurpose): TakenChallenge {
  const c = req.session?.passkeyChallenge;
  if (!c || c.purpose !== purpose || typeof c.challenge !== 'string') return { ok: false, reason: 'no_challenge' };
  delete req.session.passkeyChallenge;
  if (c.expiresAt <= Date.now()) return { ok: false, reason: 'expired_challenge' };
  return { ok: true, challenge: c.challenge, expiresAt: c.expiresAt, name: c.name };
}
