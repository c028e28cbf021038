// /accounts/password/ — change one's own password: the current one is required (and guessing it
// counts against the sign-in limits), the new one must reach PASSWORD_MIN_SCORE (zxcvbn, also
// shown live in the page), and other sessions plus every token can be ended at once.
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../middleware/csrf';
import { clientIpKey } from '../middleware/rate-limits';
import type { LoginGuard } from '../middleware/rate-limit-login';
import { endOtherSessions } from '../../store/browser-sessions';
import { passwordStrength } from '../../kernel/security/password-strength';
import { feedbackForBrowser, feedbackText, scoreLabel } from './password-texts';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';
import { checkbox, me, requireSignedIn, type PageDeps } from '../kit/pages';
import { sendNotice } from '../../domain/accounts/notices';

export function accountPasswordRoutes(deps: PageDeps & { loginGuard: LoginGuard }) {
  const router = Router();
  const { users, tokens, audit, config, db } = deps.services;
  const minLabel = (t: Translate) => scoreLabel(t, config.PASSWORD_MIN_SCORE).toLowerCase();

  const page = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) =>
    res.status(status).set('Cache-Control', 'no-store').render('account/password.njk', {
      section: 'account',
      tab: 'password',
      minScore: config.PASSWORD_MIN_SCORE,
      minLabel: minLabel(tr(res)),
      feedbackWords: feedbackForBrowser(tr(res)),
      userInputs: [me(res).username, me(res).name, me(res).email].join('\n'),
      signOutOthers: true,
      ...extra,
    });

  router.get('/accounts/password/', requireSignedIn, (req: Request, res: Response) => {
    page(req, res, 200, { notice: req.query.notice === 'changed' ? tr(res)('account:password.changed') : undefined });
  });

  router.post('/accounts/password/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    const str = (name: string) => (typeof req.body?.[name] === 'string' ? (req.body[name] as string) : '');
    const current = str('current_password');
    const next = str('new_password');
    const confirm = str('confirm_password');
    const signOutOthers = checkbox(req, 'sign_out_others');
    const refuse = (status: number, error: string, feedback: string[] = []) => page(req, res, status, { error, feedback, signOutOthers });
    const t = tr(res);
    if (!current || !next || !confirm) return refuse(400, t('account:password.errors.missing'));
    if (next.length > 1024) return refuse(400, t('account:password.errors.tooLong'));
    if (next !== confirm) return refuse(400, t('account:password.errors.differ'));
    const attempt = await deps.loginGuard.begin(clientIpKey(req), user.username);
    if (!attempt.allowed) {
      res.set('Retry-After', String(attempt.retryAfterSeconds));
      return refuse(429, t('account:password.errors.tooMany', { count: Math.ceil(attempt.retryAfterSeconds / 60) }));
    }
    const check = await users.checkPassword(user.username, current);
    if (!check.ok) {
      attempt.failed();
      deps.log.info({ event: 'password_change_refused', userId: user._id, reason: 'wrong_current_password' }, 'password change refused: wrong current password');
      return refuse(400, t('account:password.errors.wrongCurrent'));
    }
    await attempt.succeeded();
    if (next === current) return refuse(400, t('account:password.errors.same'));
    const strength = passwordStrength(next, [user.username, user.name, user.email, ...user.email.split('@')]);
    if (next.length < 8 || strength.score < config.PASSWORD_MIN_SCORE) {
      return refuse(400, t('account:password.errors.weak', { label: scoreLabel(t, strength.score).toLowerCase(), needed: minLabel(t) }), feedbackText(t, strength.feedback));
    }
    await users.setPassword(user.username, next);
    let sessionsEnded = 0;
    let tokensRevoked = 0;
    if (signOutOthers) {
      sessionsEnded = await endOtherSessions(db, user._id, req.sessionID);
      tokensRevoked = await tokens.revokeForUser(user._id);
    }
    await audit.record(user.username, 'password.change', user.username, { by: 'user', otherSessionsEnded: sessionsEnded, tokensRevoked });
    deps.log.info({ event: 'password_changed', userId: user._id, sessionsEnded, tokensRevoked }, 'user changed their password');
    // A new password ends any lock of the second step (store/two-factor-lockouts.ts), and the owner hears of it.
    await deps.services.twoFactorLockouts.clear(user._id);
    await sendNotice(deps.services, user, 'password_changed', { by: 'you', othersSignedOut: signOutOthers }, deps.log, res.locals.lang);
    res.redirect(303, '/accounts/password/?notice=changed');
  });

  return router;
}
