// TWO_FACTOR_REQUIRED: a signed-in user who must use two-factor sign-in but has not set it up
// can only set it up (or sign out). Pages redirect to the set-up, other posts are refused —
// including /o/authorize/, so no application gets a code for such a session.
// A silent authorization request (prompt=none) must not be redirected to a page: it goes on to
// the authorize route marked, which answers the client with interaction_required (OIDC Core
// §3.1.2.6) once the request itself is known to be valid.
import type { NextFunction, Request, Response } from 'express';
import type { TwoFactorStore } from '../../store/two-factor';
import type { PasskeyStore } from '../../store/passkeys';
import { tr } from './language';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Set by the gate for a prompt=none authorization request from a user who must set up two-factor first. */
    twoFactorSetupRequired?: boolean;
  }
}

const ALLOWED = ['/accounts/two-factor/setup/', '/accounts/logout/'];
/** A passkey is a second factor too: adding one is the other way through the gate. */
const PASSKEY_PAGES = '/accounts/passkeys/';

/** GET /o/authorize/ with prompt=none among its prompts. */
function isSilentAuthorize(req: Request): boolean {
  if (req.method !== 'GET' || req.path !== '/o/authorize/') return false;
  const prompt = req.query.prompt;
  return typeof prompt === 'string' && prompt.split(' ').includes('none');
}

export function twoFactorGate(twoFactor: TwoFactorStore, passkeys: PasskeyStore) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.currentUser;
    if (!user || user.twoFactor || !twoFactor.required(user) || ALLOWED.includes(req.path) || req.path.startsWith(PASSKEY_PAGES)) return next();
    // Only people who must and have no app reach here: one count of their passkeys.
    try {
      if ((await passkeys.count(user._id)) > 0) return next();
    } catch (err) {
      return next(err);
    }
    res.set('Cache-Control', 'no-store');
    if (isSilentAuthorize(req)) {
      res.locals.twoFactorSetupRequired = true;
      return next();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      return res.redirect(302, `/accounts/two-factor/setup/?next=${encodeURIComponent(req.originalUrl)}`);
    }
    const t = tr(res);
    res.status(403).render('error.njk', {
      title: t('errors:twoFactorFirst.title'),
      message: t('errors:twoFactorFirst.message'),
      backHref: '/accounts/two-factor/setup/',
      backText: t('errors:twoFactorFirst.back'),
    });
  };
}
