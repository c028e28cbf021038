// "Forgot password?" (/accounts/password/reset/) and the one-time link page
// (/accounts/password/set/?token=…) that invitations and resets lead to.
//
// The reset form gives one answer whatever was typed (no enumeration): the lookup and the mail
// happen after the answer is sent, so neither the words nor the time tell whether the account
// exists. Requests are limited per client IP and per typed name (PASSWORD_RESET_IP_RATE_LIMIT,
// PASSWORD_RESET_RATE_LIMIT per RATE_LIMIT_WINDOW_SECONDS); the typed name is keyed by an HMAC,
// so the limiter never stores what people type.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../middleware/csrf';
import { startSession } from '../middleware/current-user';
import { clientIpKey } from '../middleware/rate-limits';
import { SlotLimiter } from '../../store/rate-limits';
import { normaliseUsername } from '../../store/users';
import { openLink, requestPasswordReset, setPasswordWithLink } from '../../domain/accounts/password-reset';
import { SET_PASSWORD_PATH } from '../../domain/accounts/links';
import type { PageDeps } from '../kit/pages';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';
import { SCORE_LABELS } from '../../kernel/security/password-strength';
import { feedbackForBrowser, feedbackText, scoreLabel } from './password-texts';

export const RESET_PATH = '/accounts/password/reset/';

const LINK_PROBLEMS = {
  unknown: (t: Translate) => t('auth:setPassword.problems.unknown'),
  expired: (t: Translate) => t('auth:setPassword.problems.expired'),
  stale: (t: Translate) => t('auth:setPassword.problems.stale'),
  used: (t: Translate) => t('auth:setPassword.problems.used'),
} as const;

export function passwordLinkRoutes(deps: PageDeps & { keySecret: string }) {
  const router = Router();
  const { services, log } = deps;
  const { config, clock } = services;
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const now = () => clock.now().getTime();
  const byIp = new SlotLimiter(services.db, { prefix: 'reset-ip:', limit: config.PASSWORD_RESET_IP_RATE_LIMIT, windowMs, leases: true, now });
  const byName = new SlotLimiter(services.db, { prefix: 'reset-name:', limit: config.PASSWORD_RESET_RATE_LIMIT, windowMs, leases: false, now });
  // Mails per account, whichever of its names was typed (checked after the answer, so it tells nothing).
  const byAccount = new SlotLimiter(services.db, { prefix: 'reset-account:', limit: config.PASSWORD_RESET_RATE_LIMIT, windowMs, leases: false, now });
  const nameKey = (typed: string) => crypto.createHmac('sha256', `reset-names:${deps.keySecret}`).update(normaliseUsername(typed.slice(0, 254))).digest('base64url').slice(0, 32);
  const minLabel = (t: Translate) => scoreLabel(t, config.PASSWORD_MIN_SCORE).toLowerCase();

  const resetPage = (res: Response, status: number, extra: Record<string, unknown> = {}) =>
    res.status(status).set('Cache-Control', 'no-store').render('account/forgot-password.njk', { mailConfigured: services.mail.configured, minutes: config.MAIL_RESET_MINUTES, ...extra });

  router.get(RESET_PATH, (_req: Request, res: Response) => resetPage(res, 200));

  router.post(RESET_PATH, requireCsrf, async (req: Request, res: Response) => {
    if (!services.mail.configured) return resetPage(res, 200);
    const typed = typeof req.body?.login === 'string' ? req.body.login.slice(0, 254).trim() : '';
    const t = tr(res);
    if (!typed) return resetPage(res, 400, { error: t('auth:reset.errors.missing') });
    const ip = clientIpKey(req);
    const ipSlot = await byIp.take(ip);
    const nameSlot = ipSlot.allowed ? await byName.take(nameKey(typed)) : ipSlot;
    if (!ipSlot.allowed || !nameSlot.allowed) {
      const wait = Math.max(1, Math.ceil(nameSlot.retryAfterSeconds / 60));
      log.warn({ event: 'password_reset_rate_limited', ip: req.ip, limitedBy: ipSlot.allowed ? 'name' : 'ip' }, 'too many password reset requests');
      res.set('Retry-After', String(nameSlot.retryAfterSeconds));
      return resetPage(res, 429, { error: t('auth:reset.errors.tooMany', { count: wait }) });
    }
    // Answer first; look up and queue afterwards (same words and same time for every input).
    resetPage(res, 200, { sent: true });
    void requestPasswordReset(services, typed, { log, ip: req.ip, perAccount: byAccount, lang: res.locals.lang });
  });

  const linkProblem = (res: Response, status: number, reason: keyof typeof LINK_PROBLEMS) =>
    res.status(status).set('Cache-Control', 'no-store').render('account/set-password.njk', { problem: LINK_PROBLEMS[reason](tr(res)), mailConfigured: services.mail.configured });

  const setPage = (res: Response, status: number, token: string, user: { username: string; name: string; email: string }, purpose: string, extra: Record<string, unknown> = {}) =>
    res.status(status).set('Cache-Control', 'no-store').render('account/set-password.njk', {
      token,
      username: user.username,
      invitation: purpose === 'invitation',
      minScore: config.PASSWORD_MIN_SCORE,
      minLabel: minLabel(tr(res)),
      feedbackWords: feedbackForBrowser(tr(res)),
      userInputs: [user.username, user.name, user.email].join('\n'),
      ...extra,
    });

  router.get(SET_PASSWORD_PATH, async (req: Request, res: Response) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const state = await openLink(services, token);
    if (!state.ok) return linkProblem(res, state.reason === 'unknown' ? 404 : 410, state.reason);
    setPage(res, 200, token, state.user, state.link.purpose);
  });

  router.post(SET_PASSWORD_PATH, requireCsrf, async (req: Request, res: Response) => {
    const str = (name: string) => (typeof req.body?.[name] === 'string' ? (req.body[name] as string) : '');
    const token = str('token');
    const result = await setPasswordWithLink(services, { token, password: str('new_password'), confirm: str('confirm_password') }, { log, lang: res.locals.lang });
    if (result.ok) {
      if (result.purpose === 'invitation') {
        // The invited person just chose their password through their own mailbox: signed in,
        // and sent on to set up two-factor sign-in when the organisation requires it.
        await startSession(req, result.user._id);
        const next = services.twoFactor.required(result.user) ? '/accounts/two-factor/setup/' : '/accounts/profile/';
        return res.redirect(303, next);
      }
      return res.status(200).set('Cache-Control', 'no-store').render('account/set-password.njk', { done: true, username: result.user.username });
    }
    if (result.reason === 'unknown' || result.reason === 'expired' || result.reason === 'stale' || result.reason === 'used') return linkProblem(res, result.reason === 'unknown' ? 404 : 410, result.reason);
    const state = await openLink(services, token);
    if (!state.ok) return linkProblem(res, 410, state.reason);
    const t = tr(res);
    const error =
      result.reason === 'weak'
        ? weakText(t, result.message)
        : result.reason === 'mismatch'
          ? t('auth:setPassword.errors.mismatch')
          : result.reason === 'too_long'
            ? t('auth:setPassword.errors.tooLong')
            : t('auth:setPassword.errors.missing');
    setPage(res, 400, token, state.user, state.link.purpose, { error, feedback: result.reason === 'weak' ? feedbackText(t, result.feedback) : [] });
  });

  return router;
}

/**
 * The domain's "too easy to guess (weak; at least “strong” is needed …)" sentence in the reader's
 * language: the same sentence as account:password.errors.weak, with both strength words translated.
 */
function weakText(t: Translate, message: string): string {
  const m = /^This password is too easy to guess \((.+?); at least “(.+?)” is needed/.exec(message);
  if (!m) return message;
  const local = (word: string) => {
    const score = SCORE_LABELS.findIndex((l) => l.toLowerCase() === word);
    return score < 0 ? word : scoreLabel(t, score).toLowerCase();
  };
  return t('account:password.errors.weak', { label: local(m[1]), needed: local(m[2]) });
}
