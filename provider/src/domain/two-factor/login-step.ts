// The pending state between the two sign-in steps: after a correct password, the session (fresh
// id, no userId — so not signed in) holds who is signing in, where to go next and until when.
import type { Request } from 'express';
import type { UserDoc } from '../../db/schema';
import '../../store/browser-sessions';

export const SECOND_STEP_PATH = '/accounts/login/two-factor/';

/** Starts the second step (regenerating the session id, as a sign-in does). */
export function beginSecondStep(req: Request, user: UserDoc, next: string, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.pendingLogin = { userId: user._id, next, expiresAt: Date.now() + seconds * 1000 };
      req.session.save((e) => (e ? reject(e) : resolve()));
    });
  });
}

export type Pending = { state: 'pending'; userId: string; next: string } | { state: 'expired'; next: string } | { state: 'none' };

export function pendingSecondStep(req: Request): Pending {
  const p = req.session?.pendingLogin;
  if (!p) return { state: 'none' };
  if (p.expiresAt <= Date.now()) return { state: 'expired', next: p.next };
  return { state: 'pending', userId: p.userId, next: p.next };
}

export function clearSecondStep(req: Request): void {
  if (req.session) delete req.session.pendingLogin;
}
