// GET/POST /accounts/login/two-factor/ — the second sign-in step: a code from the authenticator
// app or a recovery code, after a correct password (two-factor/login-step.ts). Wrong codes are
// rate-limited per account and per client IP; a code is accepted once (replays are refused).
//
// Guessing with a known password (issue #18 E): when an account's allowance of wrong codes is used
// up, its second step is locked progressively (1, 2, 4 … windows; store/two-factor-lockouts.ts) and
// the owner is mailed. The lock and the allowance belong to the account, so the attacker's correct
// password resets neither. The owner is not refused meanwhile: a browser that completed a two-factor
// sign-in (or set-up) of the account carries a known-browser cookie (http/kit/known-browser.ts) and
// is counted on its own allowance (`<user>|<device>`), outside the lock.
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../middleware/csrf';
import { startSession } from '../middleware/current-user';
import { AMR_PASSWORD_RECOVERY, AMR_PASSWORD_TOTP } from '../../domain/oidc/amr';
import { clearSecondStep, pendingSecondStep, SECOND_STEP_PATH } from '../../domain/two-factor/login-step';
import { twoFactorIpLimiter, twoFactorLimiter } from '../../domain/two-factor/limiter';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';
import { ipWaitText, lockedText, waitText } from './two-factor-texts';
import { sendNotice } from '../../domain/accounts/notices';
import { knownBrowser, rememberBrowser } from '../kit/known-browser';
import { clientIpKey } from '../middleware/rate-limits';
import type { PageDeps } from '../kit/pages';

const MESSAGES = {
  wrong_code: (t: Translate) => t('auth:twoFactor.errors.wrongCode'),
  replayed_code: (t: Translate) => t('auth:twoFactor.errors.replayedCode'),
  unreadable_secret: (t: Translate) => t('auth:twoFactor.errors.unreadableSecret'),
  not_enrolled: (t: Translate) => t('auth:twoFactor.errors.notEnrolled'),
} as const;

export function loginTwoFactorRoutes(deps: PageDeps) {
  const router = Router();
  const { db, users, twoFactor, audit, config, clock, twoFactorLockouts } = deps.services;
  const now = () => clock.now().getTime();
  const limiter = twoFactorLimiter(config, db, now);
  const ipLimiter = twoFactorIpLimiter(config, db, now);

  const expired = (res: Response, next: string, status: number) =>
    res.status(status).set('Cache-Control', 'no-store').render('login.njk', { next, error: tr(res)('auth:twoFactor.expired') });

  router.get(SECOND_STEP_PATH, (req: Request, res: Response) => {
    const p = pendingSecondStep(req);
    if (p.state === 'none') return res.redirect(303, '/accounts/login/');
    if (p.state === 'expired') return expired(res, p.next, 200);
    res.set('Cache-Control', 'no-store').render('login-two-factor.njk', {});
  });

  router.post(SECOND_STEP_PATH, requireCsrf, async (req: Request, res: Response) => {
    const p = pendingSecondStep(req);
    if (p.state === 'none') return res.redirect(303, '/accounts/login/');
    if (p.state === 'expired') {
      clearSecondStep(req);
      return expired(res, p.next, 400);
    }
    const again = (status: number, error: string) => res.status(status).set('Cache-Control', 'no-store').render('login-two-factor.njk', { error });
    const t = tr(res);
    const code = typeof req.body?.code === 'string' ? req.body.code.slice(0, 64) : '';
    if (!code.trim()) return again(400, t('auth:twoFactor.errors.missingCode'));
    const user = await users.byId(p.userId);
    if (!user || !user.active) {
      clearSecondStep(req);
      return expired(res, p.next, 400);
    }
    // Per IP first (a slot given back on success, as for passwords), then per account.
    const ipKey = clientIpKey(req);
    const ipSlot = await ipLimiter.take(ipKey);
    if (!ipSlot.allowed) {
      deps.log.warn({ event: 'two_factor_rate_limited', limitedBy: 'ip', userId: user._id, ip: req.ip }, 'too many wrong two-factor codes from one address');
      res.set('Retry-After', String(ipSlot.retryAfterSeconds));
      return again(429, ipWaitText(t, ipSlot.retryAfterSeconds));
    }
    const device = knownBrowser(req, config, user._id);
    if (!device) {
      const lockedUntil = await twoFactorLockouts.lockedUntil(user._id);
      if (lockedUntil) {
        ipLimiter.give(ipKey);
        const retryAfter = Math.max(1, Math.ceil((lockedUntil.getTime() - now()) / 1000));
        deps.log.warn({ event: 'two_factor_rate_limited', limitedBy: 'account_lock', userId: user._id, ip: req.ip, lockedUntil }, 'second step locked after repeated wrong codes');
        res.set('Retry-After', String(retryAfter));
        return again(429, lockedText(t, lockedUntil, clock.now()));
      }
    }
    const slotKey = device ? `${user._id}|${device}` : user._id;
    const slot = await limiter.take(slotKey);
    if (!slot.allowed) {
      ipLimiter.give(ipKey);
      // The account's allowance is used up: lock it progressively and tell the owner (once per window).
      const lock = device ? undefined : await twoFactorLockouts.strike(user._id);
      deps.log.warn({ event: 'two_factor_rate_limited', limitedBy: device ? 'known_browser' : 'account', userId: user._id, ip: req.ip, strikes: lock?.strikes, lockedUntil: lock?.lockedUntil }, 'too many wrong two-factor codes');
      if (lock) {
        await audit.record(user.username, 'two_factor.locked', user.username, { strikes: lock.strikes, lockedUntil: lock.lockedUntil.toISOString(), ip: req.ip });
        await sendNotice(deps.services, user, 'two_factor_locked', { lockedUntil: lock.lockedUntil }, deps.log);
      }
      const current = device ? undefined : lock?.lockedUntil ?? (await twoFactorLockouts.lockedUntil(user._id));
      const retryAfter = current ? Math.max(1, Math.ceil((current.getTime() - now()) / 1000)) : slot.retryAfterSeconds;
      res.set('Retry-After', String(retryAfter));
      return again(429, current ? lockedText(t, current, clock.now()) : waitText(t, slot.retryAfterSeconds));
    }
    const result = await twoFactor.check(user, code);
    if (!result.ok) {
      deps.log.info({ event: 'two_factor_failed', userId: user._id, ip: req.ip, reason: result.reason }, 'second sign-in step failed');
      if (result.reason === 'not_enrolled') {
        clearSecondStep(req);
        return expired(res, p.next, 400);
      }
      return again(401, MESSAGES[result.reason](t));
    }
    ipLimiter.give(ipKey);
    await limiter.reset(slotKey);
    await startSession(req, user._id, result.method === 'recovery' ? AMR_PASSWORD_RECOVERY : AMR_PASSWORD_TOTP);
    rememberBrowser(req, res, config, user._id);
    deps.log.info({ event: 'login', userId: user._id, secondFactor: result.method }, 'user signed in with two factors');
    if (result.method === 'recovery') {
      await audit.record(user.username, 'two_factor.recovery_code_used', user.username, { recoveryCodesLeft: result.recoveryCodesLeft });
      await sendNotice(deps.services, user, 'recovery_code_used', { recoveryCodesLeft: result.recoveryCodesLeft }, deps.log);
    }
    res.redirect(303, p.next);
  });

  return router;
}
