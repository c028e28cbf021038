// The account-security pages together: the second sign-in step, password change, two-factor
// set-up, passkeys and the session list; plus the vendor scripts those pages run, served from the
// installed packages (so the browser runs exactly the server's version; no CDN, CSP 'self'):
// zxcvbn-ts for the password page, @simplewebauthn/browser for the passkey ceremonies.
import path from 'node:path';
import { Router } from 'express';
import type { LoginGuard } from '../middleware/rate-limit-login';
import { accountPasswordRoutes } from './account-password';
import { accountSessionRoutes } from './account-sessions';
import { accountTwoFactorRoutes } from './account-two-factor';
import { loginTwoFactorRoutes } from './login-two-factor';
import { accountPasskeyRoutes } from './account-passkeys';
import { loginPasskeyRoutes } from './login-passkey';
import type { PageDeps } from '../kit/pages';

const zxcvbn = (pkg: string) => () => path.join(path.dirname(require.resolve(pkg)), 'zxcvbn-ts.js');
const VENDOR: Record<string, () => string> = {
  'zxcvbn-core.js': zxcvbn('@zxcvbn-ts/core'),
  'zxcvbn-common.js': zxcvbn('@zxcvbn-ts/language-common'),
  'zxcvbn-en.js': zxcvbn('@zxcvbn-ts/language-en'),
  // The package's UMD build (sets window.SimpleWebAuthnBrowser); its main file is script/index.js.
  'simplewebauthn-browser.js': () => path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js'),
};

/** GET /static/vendor/*.js: each package's browser build (zxcvbn-ts: an IIFE that sets window.zxcvbnts[...]). */
export function vendorScripts() {
  const router = Router();
  router.get('/static/vendor/:file', (req, res, next) => {
    const file = Object.hasOwn(VENDOR, req.params.file) ? VENDOR[req.params.file] : undefined;
    if (!file) return next();
    res.sendFile(file(), { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  return router;
}

export function accountSecurityRoutes(deps: PageDeps & { loginGuard: LoginGuard }) {
  const router = Router();
  router.use(loginPasskeyRoutes(deps)); // before the second step's page: it says what that page offers
  router.use(loginTwoFactorRoutes(deps));
  router.use(accountPasskeyRoutes(deps));
  router.use(accountPasswordRoutes(deps));
  router.use(accountTwoFactorRoutes(deps));
  router.use(accountSessionRoutes(deps));
  return router;
}
