// Loads the signed-in user for each browser request; a deactivated user's session ends at once,
// and so does every session older than the user's last password reset.
import type { NextFunction, Request, Response } from 'express';
import type { UserDoc } from '../../db/schema';
import type { UserStore } from '../../store/users';
import { sessionEnded } from '../../store/user-access';
import '../../store/browser-sessions';
import { AMR_PASSWORD } from '../../domain/oidc/amr';

declare module 'express-serve-static-core' {
  interface Locals {
    currentUser?: UserDoc;
    csrfToken?: string;
  }
}

export function currentUserMiddleware(users: UserStore) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const id = req.session?.userId;
    if (!id) return next();
    const user = await users.byId(id);
    if (!user || !user.active || sessionEnded(user.sessionsEndedAt, req.session.authTime)) {
      delete req.session.userId;
      return next();
    }
    res.locals.currentUser = user;
    next();
  };
}

/** Regenerates the session id at login (prevents fixation) and records the user. */
export function startSession(req: Request, userId: string, amr: string[] = AMR_PASSWORD): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = userId;
      req.session.authTime = Date.now();
      req.session.amr = amr; // how (RFC 8176), for the ID token's amr claim
      // For the user's own session list (routes/account-sessions.ts).
      req.session.userAgent = req.get('user-agent')?.slice(0, 300);
      req.session.ip = req.ip;
      req.session.save((e) => (e ? reject(e) : resolve()));
    });
  });
}

export function endSession(req: Request): Promise<void> {
  return new Promise((resolve) => {
    if (!req.session) return resolve();
    req.session.destroy(() => resolve());
  });
}
