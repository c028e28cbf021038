// TWO_FACTOR_REQUIRED: a signed-in user who must use two-factor sign-in but has not set it up
// can only set it up (or sign out). Pages redirect to the set-up, other posts are refused —
// including /o/authorize/, so no application gets a code for such a session.
import type { NextFunction, Request, Response } from 'express';
import type { TwoFactorStore } from '../two-factor/store';

const ALLOWED = ['/accounts/two-factor/setup/', '/accounts/logout/'];

export function twoFactorGate(twoFactor: TwoFactorStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.currentUser;
    if (!user || user.twoFactor || !twoFactor.required(user) || ALLOWED.includes(req.path)) return next();
    res.set('Cache-Control', 'no-store');
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
