// /accounts/login/ and /accounts/logout/ (DOT-compatible paths and field names).
import { Router, type Request, type Response } from 'express';
import type { RequestHandler } from 'express';
import type { Logger } from '../log';
import type { ClientStore } from '../store/clients';
import type { UserStore } from '../store/users';
import { requireCsrf } from '../web/csrf';
import { endSession, startSession } from '../web/current-user';
import { loginHintFromNext } from '../oidc/authorize-params';

/** Only same-site paths may be used as the post-login destination (no open redirect). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/accounts/profile/';
  return next;
}

async function clientNameFor(next: string, clients: ClientStore): Promise<string | undefined> {
  const url = new URL(next, 'http://local');
  if (url.pathname !== '/o/authorize/') return undefined;
  return (await clients.byId(url.searchParams.get('client_id')))?.name;
}

export function accountRoutes(deps: { users: UserStore; clients: ClientStore; log: Logger; loginLimiter: RequestHandler }) {
  const router = Router();

  router.get('/accounts/login/', async (req: Request, res: Response) => {
    const next = safeNext(req.query.next);
    if (res.locals.currentUser && req.query.next) return res.redirect(303, next);
    res.set('Cache-Control', 'no-store').render('login.njk', { next, username: loginHintFromNext(next), clientName: await clientNameFor(next, deps.clients) });
  });

  // A stale login page submitted after signing in elsewhere (another tab): just continue.
  const alreadySignedIn = (req: Request, res: Response, next: () => void) => (res.locals.currentUser ? res.redirect(303, safeNext(req.body?.next)) : next());

  router.post('/accounts/login/', alreadySignedIn, requireCsrf, deps.loginLimiter, async (req: Request, res: Response) => {
    const next = safeNext(req.body?.next);
    const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 100) : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const again = async (status: number, error: string) =>
      res.status(status).set('Cache-Control', 'no-store').render('login.njk', { next, username, error, clientName: await clientNameFor(next, deps.clients) });
    if (!username || !password) return again(400, 'Enter your username and password.');
    const user = await deps.users.authenticate(username, password);
    if (!user) {
      deps.log.info({ event: 'login_failed', username }, 'login failed: wrong username or password, or account inactive');
      return again(401, 'Wrong username or password.');
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
    res.set('Cache-Control', 'no-store').render('logged-out.njk');
  });

  return router;
}
