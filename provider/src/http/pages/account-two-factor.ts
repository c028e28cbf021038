// /accounts/two-factor/ — the user's own TOTP two-factor sign-in: set-up with a QR code (the new
// secret waits sealed in the session until a code confirms it, and expires), recovery codes
// shown once, new recovery codes and turning it off (each confirmed with a current code).
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../middleware/csrf';
import { twoFactorLimiter } from '../../domain/two-factor/limiter';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';
import { waitText } from './two-factor-texts';
import { groupedSecret, newTotpSecret, otpauthUri, qrDataUrl, verifyTotp } from '../../kernel/security/totp';
import { me, requireSignedIn, type PageDeps } from '../kit/pages';
import '../../store/browser-sessions';
import { sendNotice } from '../../domain/accounts/notices';
import { rememberBrowser } from '../kit/known-browser';
import { sameSitePath } from '../kit/same-site-path';

const NOTICES: Record<string, (t: Translate) => string> = {
  disabled: (t) => t('account:twoFactor.notices.disabled'),
  'already-on': (t) => t('account:twoFactor.notices.alreadyOn'),
};

export function accountTwoFactorRoutes(deps: PageDeps) {
  const router = Router();
  const { db, twoFactor, audit, config } = deps.services;
  const limiter = twoFactorLimiter(config, db);
  const minutes = Math.round(config.TWO_FACTOR_ENROLMENT_SECONDS / 60);

  router.get('/accounts/two-factor/', requireSignedIn, (req: Request, res: Response) => {
    const user = me(res);
    const notice = typeof req.query.notice === 'string' && Object.hasOwn(NOTICES, req.query.notice) ? NOTICES[req.query.notice](tr(res)) : undefined;
    res.set('Cache-Control', 'no-store').render('account/two-factor.njk', { section: 'account', tab: 'two-factor', user, required: twoFactor.required(user), notice });
  });

  /** The set-up page for the pending secret (a fresh one when none is pending or it expired). */
  async function setupPage(req: Request, res: Response, status: number, error?: string, secret?: string) {
    const user = me(res);
    if (!secret) {
      const pending = req.session.enrolment;
      const opened = pending && pending.expiresAt > Date.now() ? twoFactor.box.open(user._id, pending.sealed) : undefined;
      secret = opened?.secret ?? newTotpSecret();
      if (!opened) req.session.enrolment = { sealed: twoFactor.box.seal(user._id, secret), expiresAt: Date.now() + config.TWO_FACTOR_ENROLMENT_SECONDS * 1000 };
    }
    const uri = otpauthUri(secret, user.username, config.ORGANIZATION_NAME === 'Your organisation' ? config.PRODUCT_NAME : config.ORGANIZATION_NAME);
    res.status(status).set('Cache-Control', 'no-store').render('account/two-factor-setup.njk', {
      section: 'account',
      tab: 'two-factor',
      qr: await qrDataUrl(uri),
      manualKey: groupedSecret(secret),
      minutes,
      required: twoFactor.required(user),
      next: sameSitePath(req.query.next ?? req.body?.next),
      error,
    });
  }

  router.get('/accounts/two-factor/setup/', requireSignedIn, async (req: Request, res: Response) => {
    if (me(res).twoFactor) return res.redirect(303, '/accounts/two-factor/');
    await setupPage(req, res, 200);
  });

  router.post('/accounts/two-factor/setup/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    if (user.twoFactor) return res.redirect(303, '/accounts/two-factor/?notice=already-on');
    const t = tr(res);
    const pending = req.session.enrolment;
    if (!pending || pending.expiresAt <= Date.now()) {
      delete req.session.enrolment;
      return setupPage(req, res, 400, t('account:setup.errors.expired', { count: minutes }));
    }
    const opened = twoFactor.box.open(user._id, pending.sealed);
    if (!opened) {
      delete req.session.enrolment;
      return setupPage(req, res, 400, t('account:setup.errors.unreadable'));
    }
    const code = typeof req.body?.code === 'string' ? req.body.code.slice(0, 64) : '';
    if (!code.trim()) return setupPage(req, res, 400, t('account:setup.errors.missingCode'), opened.secret);
    const slot = await limiter.take(user._id);
    if (!slot.allowed) return setupPage(req, res, 429, waitText(t, slot.retryAfterSeconds), opened.secret);
    const step = verifyTotp(code, opened.secret);
    if (step === undefined) {
      return setupPage(req, res, 400, t('account:setup.errors.wrongCode'), opened.secret);
    }
    await limiter.reset(user._id);
    const codes = await twoFactor.enable(user._id, opened.secret, step);
    delete req.session.enrolment;
    if (!codes) return res.redirect(303, '/accounts/two-factor/?notice=already-on');
    await audit.record(user.username, 'two_factor.enable', user.username, {});
    deps.log.info({ event: 'two_factor_enabled', userId: user._id }, 'two-factor sign-in set up');
    // This browser just proved both factors: it is the owner's (login-two-factor.ts).
    rememberBrowser(req, res, config, user._id);
    await sendNotice(deps.services, user, 'two_factor_enabled', {}, deps.log, res.locals.lang);
    res.set('Cache-Control', 'no-store').render('account/recovery-codes.njk', { section: 'account', tab: 'two-factor', codes, fresh: true, next: sameSitePath(req.body?.next) });
  });

  /** Confirms a sensitive change with a current code (rate-limited); undefined = go ahead. */
  async function confirmWithCode(req: Request, res: Response): Promise<string | undefined> {
    const user = me(res);
    const t = tr(res);
    const code = typeof req.body?.code === 'string' ? req.body.code.slice(0, 64) : '';
    if (!code.trim()) return t('account:twoFactor.errors.missingCode');
    const slot = await limiter.take(user._id);
    if (!slot.allowed) return waitText(t, slot.retryAfterSeconds);
    const r = await twoFactor.check(user, code);
    if (!r.ok) return r.reason === 'replayed_code' ? t('account:twoFactor.errors.replayed') : t('account:twoFactor.errors.wrongCode');
    await limiter.reset(user._id);
    return undefined;
  }

  const refuse = (res: Response, error: string) =>
    res.status(400).set('Cache-Control', 'no-store').render('account/two-factor.njk', { section: 'account', tab: 'two-factor', user: me(res), required: twoFactor.required(me(res)), error });

  router.post('/accounts/two-factor/recovery-codes/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    if (!user.twoFactor) return res.redirect(303, '/accounts/two-factor/');
    const problem = await confirmWithCode(req, res);
    if (problem) return refuse(res, problem);
    const codes = await twoFactor.regenerateRecoveryCodes(user._id);
    if (!codes) return res.redirect(303, '/accounts/two-factor/');
    await audit.record(user.username, 'two_factor.recovery_codes', user.username, {});
    res.set('Cache-Control', 'no-store').render('account/recovery-codes.njk', { section: 'account', tab: 'two-factor', codes, fresh: false });
  });

  router.post('/accounts/two-factor/disable/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    if (!user.twoFactor) return res.redirect(303, '/accounts/two-factor/');
    if (twoFactor.required(user)) return refuse(res, tr(res)('account:twoFactor.errors.required'));
    const problem = await confirmWithCode(req, res);
    if (problem) return refuse(res, problem);
    await twoFactor.reset(user._id);
    await audit.record(user.username, 'two_factor.disable', user.username, { by: 'user' });
    await sendNotice(deps.services, user, 'two_factor_disabled', { by: 'you' }, deps.log, res.locals.lang);
    res.redirect(303, '/accounts/two-factor/?notice=disabled');
  });

  return router;
}
