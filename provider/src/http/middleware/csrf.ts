// CSRF protection for every form.
// - Signed in: synchronizer token (csrf-sync) kept in the session, posted back as `_csrf`.
// - Not signed in (the sign-in form): a signed double-submit token — a random nonce in a cookie
//   and its HMAC in the form — so a visitor without a session never causes a session write
//   (a page view by a cookieless client stores nothing in the database).
import crypto from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqualStrings } from '../../kernel/security/tokens';
import { tr } from './language';
import { readCookie } from '../kit/cookies';

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => (req.body && typeof req.body._csrf === 'string' ? req.body._csrf : undefined),
});

export { csrfSynchronisedProtection, isRequestValid };

export const PRE_SESSION_CSRF_COOKIE = 'hrm_sso_csrf';
const PRE_SESSION_KEY = Symbol('preSessionCsrfKey');
type CsrfRequest = Request & { [PRE_SESSION_KEY]?: Buffer[] };

function sign(key: Buffer, nonce: string): string {
  return crypto.createHmac('sha256', key).update(nonce).digest('base64url');
}

const NONCE = /^[A-Za-z0-9_-]{32}$/;

function preSessionToken(req: Request, res: Response, key: Buffer, secure: boolean): string {
  let nonce = readCookie(req, PRE_SESSION_CSRF_COOKIE);
  if (!nonce || !NONCE.test(nonce)) {
    nonce = crypto.randomBytes(24).toString('base64url');
    res.cookie(PRE_SESSION_CSRF_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  }
  return sign(key, nonce);
}

function preSessionTokenValid(req: Request): boolean {
  const keys = (req as CsrfRequest)[PRE_SESSION_KEY];
  const nonce = readCookie(req, PRE_SESSION_CSRF_COOKIE);
  const presented = req.body && typeof req.body._csrf === 'string' ? req.body._csrf : '';
  if (!keys || !nonce || !NONCE.test(nonce) || !presented) return false;
  return keys.map((key) => timingSafeEqualStrings(presented, sign(key, nonce))).includes(true);
}

/**
 * Makes a CSRF token available to every rendered page. It is made only when a page is rendered
 * (JSON answers and redirects make none), and only a signed-in session stores it.
 */
export function csrfTokenForViews(secrets: string | string[], secureCookies: boolean) {
  // Signed with the first session secret; every listed one is still accepted (SESSION_SECRETS rotation).
  const keys = [secrets].flat().map((secret) => crypto.createHash('sha256').update(`pre-session-csrf:${secret}`).digest());
  const key = keys[0];
  return (req: Request, res: Response, next: NextFunction) => {
    (req as CsrfRequest)[PRE_SESSION_KEY] = keys;
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get: () => (token ??= req.session?.userId ? generateToken(req) : preSessionToken(req, res, key, secureCookies)),
    });
    next();
  };
}

/** Rejects a form post whose token is missing or stale with a page that explains what to do. */
export function requireCsrf(req: Request, res: Response, next: NextFunction) {
  if (isRequestValid(req)) return next();
  // The signed double-submit token only stands in where there is no signed-in session.
  if (!req.session?.userId && preSessionTokenValid(req)) return next();
  const t = tr(res);
  res.status(403).render('error.njk', {
    title: t('errors:formExpired.title'),
    message: t('errors:formExpired.message'),
    hint: t('errors:formExpired.hint'),
  });
}

/** requireCsrf for scripts' JSON posts (token in the body's `_csrf`): a 403 in JSON, with a sentence. */
export function requireCsrfJson(req: Request, res: Response, next: NextFunction) {
  if (isRequestValid(req) || (!req.session?.userId && preSessionTokenValid(req))) return next();
  res.status(403).set('Cache-Control', 'no-store').json({ error: 'invalid_request', error_description: tr(res)('errors:formExpired.json') });
}
