// TWO_FACTOR_REQUIRED: a signed-in user who must use two-factor sign-in but has not set it up
// can only set it up (or sign out). Pages redirect to the set-up, other posts are refused —
// including /o/authorize/, so no application gets a code for such a session.
// A silent authorization request (prompt=none) must not be redirected to a page: it goes on to
// the authorize route marked, which answers the client with interaction_required (OIDC Core
// §3.1.2.6) once the request itself is known to be valid.
import type { NextFunction, Request, Response } from 'express';
import type { TwoFactorStore } from '../../store/two-factor';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Set by the gate for a prompt=none authorization request from a user who must set up two-factor first. */
    twoFactorSetupRequired?: boolean;
  }
}

const ALLOWED = ['/accounts/two-factor/setup/', '/accounts/logout/'];

/** GET /o/authorize/ with prompt=none among its prompts. */
function isSilentAuthorize(req: Request): boolean {
  if (req.method !== 'GET' || req.path !== '/o/authorize/') return false;
  const prompt = req.query.prompt;
  return typeof prompt === 'string' && prompt.split(' ').includes('none');
}

export function twoFactorGate(twoFactor: TwoFactorStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.currentUser;
    if (!user || user.twoFactor || !twoFactor.required(user) || ALLOWED.includes(req.path)) return next();
    res.set('Cache-Control', 'no-store');
    if (isSilentAuthorize(req)) {
      res.locals.twoFactorSetupRequired = true;
      return next();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      return res.redirect(302, `/accounts/two-factor/setup/?next=${encodeURIComponent(req.originalUrl)}`);
    }
    res.status(403).render('error.njk', {
      title: 'Set up two-factor sign-in first',
      message: 'Your organisation requires two-factor sign-in for your account. Nothing was changed.',
      backHref: '/accounts/two-factor/setup/',
      backText: 'Set up two-factor sign-in',
    });
  };
}
