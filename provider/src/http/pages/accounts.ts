// /accounts/login/ and /accounts/logout/ (DOT-compatible paths and field names).
import { Router, type Request, type Response } from 'express';
import crypto from 'node:crypto';
import type { Logger } from '../../kernel/log';
import type { ClientStore } from '../../store/clients';
import type { UserStore } from '../../store/users';
import { requireCsrf } from '../middleware/csrf';
import { endSession, startSession } from '../middleware/current-user';
import type { LoginGuard } from '../middleware/rate-limit-login';
import { clientIpKey } from '../middleware/rate-limits';
import { loginHintFromNext } from '../../domain/oidc/authorize-params';
import { beginSecondStep, SECOND_STEP_PATH } from '../../domain/two-factor/login-step';
import { hasSecondFactor } from '../../domain/passkeys/second-factors';
import type { PasskeyStore } from '../../store/passkeys';
import { tr } from '../middleware/language';
import { sameSitePath } from '../kit/same-site-path';

/** Only same-site paths may be used as the post-login destination (no open redirect). */
export function safeNext(next: unknown): string {
  return sameSitePath(next) ?? '/accounts/profile/';
}

async function clientNameFor(next: string, clients: ClientStore): Promise<string | undefined> {
  const url = new URL(next, 'http://local');
  if (url.pathname !== '/o/authorize/') return undefined;
  return (await clients.byId(url.searchParams.get('client_id')))?.name;
}

/**
 * What a failed sign-in may log about the name typed: the account's username when it exists,
 * otherwise only a short hash (people type their password into the username field).
 */
export function usernameForLog(typed: string, existing: string | undefined): { username?: string; typedNameHash?: string } {
  if (existing) return { username: existing };
  return { typedNameHash: crypto.createHash('sha256').update(typed).digest('hex').slice(0, 12) };
}

export function accountRoutes(deps: { users: UserStore; clients: ClientStore; passkeys: PasskeyStore; log: Logger; loginGuard: LoginGuard; secondStepSeconds?: number; passwordless?: boolean }) {
  const router = Router();

  router.get('/accounts/login/', async (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    if (res.locals.currentUser && req.query.next) return res.redirect(303, next);
    res.set('Cache-Control', 'no-store').render('login.njk', { next, username: loginHintFromNext(next), clientName: await clientNameFor(next, deps.clients), passwordless: deps.passwordless });
  });

  // A stale login page submitted after signing in elsewhere (another tab): just continue.
  const alreadySignedIn = (req: Request, res: Response, next: () => void) => (res.locals.currentUser ? res.redirect(303, safeNext(req.body?.next)) : next());

  router.post('/accounts/login/', alreadySignedIn, requireCsrf, async (req: Request, res: Response) => {
    const next = safeNext(req.body?.next);
    const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 100) : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const again = async (status: number, error: string) =>
      res.status(status).set('Cache-Control', 'no-store').render('login.njk', { next, username, error, clientName: await clientNameFor(next, deps.clients), passwordless: deps.passwordless });
    const t = tr(res);
    if (!username || !password) return again(400, t('auth:login.missingFields'));
    const attempt = await deps.loginGuard.begin(clientIpKey(req), username);
    if (!attempt.allowed) {
      deps.log.warn({ event: 'login_rate_limited', ip: req.ip, limitedBy: attempt.limitedBy }, 'too many login attempts');
      res.set('Retry-After', String(attempt.retryAfterSeconds));
      return again(429, t('auth:login.tooMany', { count: Math.ceil(attempt.retryAfterSeconds / 60) }));
    }
    const result = await deps.users.checkPassword(username, password);
    if (!result.ok) {
      attempt.failed();
      deps.log.info({ event: 'login_failed', ip: req.ip, reason: result.reason, ...usernameForLog(username, result.user?.username) }, 'login failed: wrong username or password, or account inactive');
      return again(401, t('auth:login.wrong'));
    }
    await attempt.succeeded();
    const user = result.user;
    if (await hasSecondFactor(user, deps.passkeys)) {
      // Two-factor sign-in: not signed in yet; a code or a passkey comes next (pages/login-two-factor.ts, login-passkey.ts).
      await beginSecondStep(req, user, next, deps.secondStepSeconds ?? 300);
      deps.log.info({ event: 'login_password_ok', userId: user._id }, 'password correct; waiting for the second factor');
      return res.redirect(303, SECOND_STEP_PATH);
    }
    await startSession(req, user._id);
    deps.log.info({ event: 'login', userId: user._id }, 'user signed in');
    res.redirect(303, next);
  });

  router.post('/accounts/logout/', requireCsrf, async (req: Request, res: Response) => {
    const userId = req.session?.userId;
    await endSession(req);
    res.clearCookie('hrm_sso_session', { path: '/' });
    if (userId) deps.log.info({ event: 'logout', userId }, 'user signed out');
    res.locals.currentUser = undefined;
    // "Not you? Switch account" (consent page): sign in again and return to the same request.
    if (typeof req.body?.next === 'string' && req.body.next) return res.redirect(303, `/accounts/login/?next=${encodeURIComponent(safeNext(req.body.next))}`);
    res.set('Cache-Control', 'no-store').render('logged-out.njk');
  });

  return router;
}
