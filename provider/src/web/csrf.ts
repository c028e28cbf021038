// Synchronizer-token CSRF protection (csrf-sync): the token lives in the session and
// every form posts it back as `_csrf`.
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => (req.body && typeof req.body._csrf === 'string' ? req.body._csrf : undefined),
});

export { csrfSynchronisedProtection, isRequestValid };

/** Makes a CSRF token available to every rendered page. */
export function csrfTokenForViews(req: Request, res: Response, next: NextFunction) {
  res.locals.csrfToken = generateToken(req);
  next();
}

/** Rejects a form post whose token is missing or stale with a page that explains what to do. */
export function requireCsrf(req: Request, res: Response, next: NextFunction) {
  if (isRequestValid(req)) return next();
  res.status(403).render('error.njk', {
    title: 'This form has expired',
    message: 'For your security the page you submitted is no longer valid (it was open too long, or was submitted twice). Nothing was changed.',
    hint: 'Go back, reload the page and try again.',
  });
}
