// Authentication Method Reference values (RFC 8176) for the ID token's `amr` claim: how the
// browser session signed in. Recorded on the session at sign-in, copied to the OIDC grant with
// each code, so every ID token of that grant (also after refresh) tells the same story.
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** RFC 8176 values of this session's sign-in; absent for sessions from before it was recorded. */
    amr?: string[];
  }
}

/** Password only. */
export const AMR_PASSWORD = ['pwd'];
/** Password and a TOTP code: a one-time password, two factors. */
export const AMR_PASSWORD_TOTP = ['pwd', 'otp', 'mfa'];
/** Password and a recovery code: two factors (a stored code, not a time-based one-time password). */
export const AMR_PASSWORD_RECOVERY = ['pwd', 'mfa'];

export function sessionAmr(req: Request): string[] | undefined {
  const amr = req.session?.amr;
  return Array.isArray(amr) && amr.every((v) => typeof v === 'string') ? amr : undefined;
}
