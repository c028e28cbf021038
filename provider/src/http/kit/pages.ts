// Shared helpers for the account and admin pages: access guards, form fields, one-time form
// submissions (double-submit protection), notices and audit records.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Database } from '../../db/connect';
import type { FormSubmissionDoc, UserDoc } from '../../db/schema';
import { claimFormSubmission, completeFormSubmission, releaseFormSubmission } from '../../store/form-submissions';
import { AppError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';

export interface PageDeps {
  services: Services;
  log: Logger;
}

/** The signed-in user; only call after requireSignedIn. */
export function me(res: Response): UserDoc {
  return res.locals.currentUser as UserDoc;
}

/** Anonymous visitors go to the login page and come back here afterwards. */
export function requireSignedIn(req: Request, res: Response, next: NextFunction) {
  if (res.locals.currentUser) return next();
  res.set('Cache-Control', 'no-store');
  if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(302, `/accounts/login/?next=${encodeURIComponent(req.originalUrl)}`);
  // A form sent after the session ended (expired, or signed out in another tab): say so plainly.
  const back = req.baseUrl.startsWith('/admin') ? '/admin/' : '/accounts/profile/';
  const t = tr(res);
  res.status(401).render('error.njk', {
    title: t('errors:signedOut.title'),
    message: t('errors:signedOut.message'),
    hint: t('errors:signedOut.hint'),
    backHref: `/accounts/login/?next=${encodeURIComponent(back)}`,
    backText: t('errors:signedOut.back'),
  });
}

/** Signed-in non-admins get a 403 page; anonymous visitors are sent to log in. */
export function requireAdmin(req: Request, res: Response, next: NextFunction) {
  requireSignedIn(req, res, () => {
    if (me(res).admin) {
      res.set('Cache-Control', 'no-store');
      return next();
    }
    const t = tr(res);
    res.status(403).set('Cache-Control', 'no-store').render('error.njk', {
      title: t('errors:adminOnly.title'),
      message: t('errors:adminOnly.message'),
      hint: t('errors:adminOnly.hint'),
      backHref: '/accounts/profile/',
      backText: t('errors:adminOnly.back'),
    });
  });
}

/** A form field as a trimmed string ('' when missing, repeated or not a string). */
export function field(req: Request, name: string, max = 2000): string {
  const v = req.body?.[name];
  return typeof v === 'string' ? v.slice(0, max).trim() : '';
}

/** A checkbox: present means on. */
export function checkbox(req: Request, name: string): boolean {
  const v = req.body?.[name];
  return v === 'on' || v === 'true' || v === '1';
}

/** Redirect URIs typed one per line (or separated by spaces). */
export function redirectUriList(text: string): string[] {
  return text
    .split(/\s+/)
    .map((u) => u.trim())
    .filter(Boolean);
}

export function errorMessage(err: unknown): string | undefined {
  return err instanceof AppError ? err.message : undefined;
}

/** A 404 page for an object addressed by id; `what` ("User", or already translated: "Benutzer") names it. */
export function notFound(res: Response, what: string, backHref: string, backText: string) {
  const t = tr(res);
  // Mid-sentence the word is lower-case, except in German, where nouns keep their capital.
  const inSentence = res.locals.lang === 'de' ? what : what.toLowerCase();
  res.status(404).render('error.njk', { title: t('errors:notFound.title', { what }), message: t('errors:notFound.message', { what: inSentence }), backHref, backText });
}

/** Messages shown after a redirect (`?notice=code`); unknown codes show nothing. */
export const NOTICES: Record<string, string> = {
  'scim-revoked': 'The SCIM connection was revoked: its token is refused from now on.',
  'client-saved': 'Changes saved.',
  'client-deleted': 'The client was deleted, together with its tokens and consents.',
  'user-created': 'User created.',
  'user-saved': 'Changes saved.',
  'password-reset': 'The password was changed.',
  'invitation-sent': 'The invitation mail is queued: it goes out within a minute. The link works once.',
  'user-deactivated': 'The user was deactivated: their sessions end at their next request and their tokens were revoked.',
  'user-activated': 'The user was reactivated.',
  'employment-saved': 'Employment saved.',
  'user-left': 'The user was marked as left: their account is deactivated and every session, token, code and consent ended.',
  'tokens-revoked': 'Tokens revoked.',
  'two-factor-reset': 'Two-factor sign-in was reset (authenticator app and passkeys): the user signs in with the password alone (or sets it up again where it is required).',
  'two-factor-was-off': 'Two-factor sign-in was already off for this user; nothing was changed.',
};

export function noticeFrom(req: Request): string | undefined {
  const code = noticeCodeFrom(req);
  return code ? NOTICES[code] : undefined;
}

/** The known `?notice=` code (for pages that show the notice in the reader's language), or undefined. */
export function noticeCodeFrom(req: Request): string | undefined {
  const code = typeof req.query.notice === 'string' ? req.query.notice : '';
  return Object.hasOwn(NOTICES, code) ? code : undefined;
}

// ---------------------------------------------------------------------------
// One-time submissions. Every account/admin form carries a random `_once` value; the first
// request with a given (value, path, body) claims it atomically (unique _id insert), so a
// double-clicked or re-posted form is applied exactly once. The duplicate gets a page pointing
// to the result of the first.

export function newFormNonce(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** Gives every rendered page a fresh `_once` value for its forms. */
export function formNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.once = newFormNonce();
  next();
}

function submissionKey(req: Request, nonce: string): string {
  const body = Object.keys(req.body ?? {})
    .filter((k) => k !== '_csrf' && k !== '_once')
    .sort()
    .map((k) => [k, req.body[k]]);
  return crypto.createHash('sha256').update(JSON.stringify([nonce, req.method, req.baseUrl + req.path, body])).digest('base64url');
}

export type Claim = { ok: true; key: string } | { ok: false; previous: FormSubmissionDoc | null };

export async function claimSubmission(db: Database, req: Request): Promise<Claim | 'missing'> {
  const nonce = req.body?._once;
  if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return 'missing';
  const key = submissionKey(req, nonce);
  const claim = await claimFormSubmission(db, key);
  return claim.ok ? { ok: true, key } : claim;
}

export const completeSubmission = completeFormSubmission;

/** A failed attempt (bad input) may be corrected and sent again with the same form. */
export const releaseSubmission = releaseFormSubmission;

/**
 * Middleware for state-changing posts: claims the submission or answers a duplicate with a
 * clear page. The claim key is left in res.locals.submissionKey.
 */
// Reloading would only post the form again: the advice is to follow the link to the first result.
// `hint` replaces that advice: a sentence, or a function of the page's translate function.
export function once(db: Database, fallbackHref: string, hint?: string | ((t: Translate) => string)) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const claim = await claimSubmission(db, req);
    const t = tr(res);
    if (claim === 'missing') {
      return res.status(400).render('error.njk', {
        title: t('errors:once.incompleteTitle'),
        message: t('errors:once.incompleteMessage'),
        hint: t('errors:once.reloadHint'),
        backHref: fallbackHref,
        backText: t('errors:once.back'),
      });
    }
    if (!claim.ok) {
      return res.status(409).render('error.njk', {
        title: t('errors:once.alreadyTitle'),
        message: t('errors:once.alreadyMessage'),
        hint: typeof hint === 'function' ? hint(t) : hint ?? t('errors:once.alreadyHint'),
        backHref: claim.previous?.href ?? fallbackHref,
        backText: claim.previous?.label ?? t('errors:once.continue'),
      });
    }
    res.locals.submissionKey = claim.key;
    next();
  };
}

declare module 'express-serve-static-core' {
  interface Locals {
    once?: string;
    submissionKey?: string;
  }
}

/** Records an admin (or account) action in the audit log: who, what, which object. */
export async function audit(deps: PageDeps, res: Response, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
  const actor = me(res).username;
  await deps.services.audit.record(actor, action, target, detail);
  deps.log.info({ event: 'audit', actor, action, target }, `admin action: ${action} ${target}`);
}
