// The account-security pages together: the second sign-in step, password change, two-factor
// set-up and the session list; plus the zxcvbn-ts scripts the password page runs (served from
// the installed packages, so the browser scores with exactly the server's version).
import path from 'node:path';
import { Router } from 'express';
import type { LoginGuard } from '../middleware/rate-limit-login';
import { accountPasswordRoutes } from './account-password';
import { accountSessionRoutes } from './account-sessions';
import { accountTwoFactorRoutes } from './account-two-factor';
import { loginTwoFactorRoutes } from './login-two-factor';
import type { PageDeps } from '../kit/pages';

const VENDOR: Record<string, string> = {
  'zxcvbn-core.js': '@zxcvbn-ts/core',
  'zxcvbn-common.js': '@zxcvbn-ts/language-common',
  'zxcvbn-en.js': '@zxcvbn-ts/language-en',
};

/** GET /static/vendor/zxcvbn-*.js: each package's browser build (an IIFE that sets window.zxcvbnts[...]). */
export function vendorScripts() {
  const router = Router();
  router.get('/static/vendor/:file', (req, res, next) => {
    const pkg = VENDOR[req.params.file];
    if (!pkg) return next();
    res.sendFile(path.join(path.dirname(require.resolve(pkg)), 'zxcvbn-ts.js'), { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  return router;
}

export function accountSecurityRoutes(deps: PageDeps & { loginGuard: LoginGuard }) {
  const router = Router();
  router.use(loginTwoFactorRoutes(deps));
  router.use(accountPasswordRoutes(deps));
  router.use(accountTwoFactorRoutes(deps));
  router.use(accountSessionRoutes(deps));
  return router;
}
