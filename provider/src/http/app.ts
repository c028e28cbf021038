// The Express application: OAuth endpoints (JSON, no sessions) and browser pages (sessions, CSRF).
import express, { type NextFunction, type Request, type Response } from 'express';
import path from 'node:path';
import type { Logger } from '../kernel/log';
import type { Services } from '../domain/services';
import { createOAuthModel } from '../domain/oauth/model';
import { createOAuthServer } from '../domain/oauth/server';
import { tokenHandler } from './api/token';
import { revokeHandler } from './api/revoke';
import { introspectHandler } from './api/introspect';
import { userinfoHandler } from './api/userinfo';
import { metadataHandler } from './api/metadata';
import { healthHandler, readinessHandler } from './api/health';
import { httpMetrics, metricsHandler } from '../kernel/metrics';
import { requestIdMiddleware } from '../kernel/request-context';
import { isDatabaseUnavailable } from '../db/errors';
import { accountRoutes } from './pages/accounts';
import { authorizeRoutes } from './pages/authorize';
import { createViews } from './views/views';
import { createSessionMiddleware } from './middleware/session';
import { purposeKeys } from '../kernel/secrets';
import { FIRST_ADMIN_COMMAND } from '../domain/accounts/first-run';
import { currentUserMiddleware } from './middleware/current-user';
import { csrfTokenForViews } from './middleware/csrf';
import { securityHeaders } from './middleware/security-headers';
import { accessLog } from './middleware/access-log';
import { createRateLimiters } from './middleware/rate-limits';
import { extraBrowserRoutes } from './pages/browser-extras';
import { oidcRoutes } from './pages/oidc-session';
import { DEVICE_CODE_GRANT, deviceCodeGrantType } from '../domain/oidc/device';
import { deviceRoutes } from './api/device';
import { mountOidcMachineEndpoints } from './api/oidc-machine';
import { hrmApiRoutes } from './api/hr';
import { scimRouter, SCIM_BASE_PATH } from './api/scim/router';
import { accountSecurityRoutes, vendorScripts } from './pages/account-security';
import { twoFactorGate } from './middleware/two-factor-gate';
import { brandingAssets } from './views/branding';
import { passwordLinkRoutes } from './pages/password-links';
import { languageMiddleware, tr } from './middleware/language';
import { languageRoutes } from './pages/language';

export interface ProviderApp {
  app: express.Express;
  close(): Promise<void>;
}

export function createApp(services: Services, log: Logger): ProviderApp {
  const { config, db, users, clients, tokens, clock, userCache, oidc } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  app.set('query parser', 'simple');
  // ETags only cost hashing here: OAuth answers are no-store, pages are per user.
  app.set('etag', false);
  const views = createViews(config);
  views.express(app);
  app.set('view engine', 'njk');

  app.use(requestIdMiddleware(), httpMetrics());
  app.use(accessLog(log));
  // API answers are JSON with no-store: a CSP and the other page headers are only cost there.
  app.use(unlessMachinePath(securityHeaders(config), apiHeaders(config.secureCookies)));
  app.use('/static', express.static(path.join(__dirname, '..', 'public'), { maxAge: '1h', index: false }));
  app.use(vendorScripts(), brandingAssets(config));

  const form = express.urlencoded({ extended: false, limit: config.MAX_BODY_BYTES, parameterLimit: 100 });
  // The first session secret also keys the sign-in form's CSRF cookie and the limiter's account keys.
  const signingSecret = purposeKeys(config, 'rate-limit-keys')[0];
  const limiters = createRateLimiters(config, db, log, signingSecret);
  const oauth = createOAuthServer(createOAuthModel({ config, clock, clients, users, tokens, log, twoFactor: services.twoFactor, passkeys: services.passkeys.store }), config, { [DEVICE_CODE_GRANT]: deviceCodeGrantType(oidc.devices) });

  // Machine endpoints: no cookies, no sessions.
  app.get('/healthz', healthHandler(db));
  app.get('/readyz', readinessHandler(db, services.lifecycle));
  app.get('/metrics', metricsHandler(config.METRICS_TOKEN));
  app.get(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration', '/o/.well-known/openid-configuration'], metadataHandler(config, clients));
  // OpenID Connect: JWKS, RFC 9728, CORS, device authorization, registration (oidc/machine-routes.ts).
  mountOidcMachineEndpoints(app, { services, log, form, tokenLimiter: limiters.token });
  app.post('/o/token/', limiters.token, form, tokenHandler({ oauth, clients, tokens, config, log, loginGuard: limiters.loginGuard, oidc }));
  app.post('/o/revoke_token/', limiters.token, form, revokeHandler({ clients, tokens, log }));
  app.post('/o/introspect/', limiters.token, form, introspectHandler({ config, clients, tokens, users: userCache, log }));
  const userinfo = userinfoHandler({ tokens, users: userCache, clients, config, log, oidc });
  app.get(['/o/userinfo/', '/api/v2/o/userinfo/'], userinfo);
  app.post(['/o/userinfo/', '/api/v2/o/userinfo/'], form, userinfo);
  app.use(hrmApiRoutes(services, log));
  // SCIM 2.0 provisioning (docs/people.md): its own bearer tokens, limits and error shape.
  app.use(scimRouter(services, log, { rateLimit: config.SCIM_RATE_LIMIT, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS, maxResults: config.SCIM_MAX_RESULTS, maxBodyBytes: config.SCIM_MAX_BODY_BYTES }));
  for (const p of ['/o/token/', '/o/revoke_token/', '/o/introspect/']) {
    app.all(p, (_req, res) => { res.set('Allow', 'POST').status(405).json({ error: 'invalid_request', error_description: 'Use POST.' }); });
  }

  // Browser pages.
  const { middleware: sessions, store: sessionStore } = createSessionMiddleware(config, db);
  // Unknown API paths (/api/…, /o/… other than browser pages) fall through to the JSON 404
  // without loading or storing a session.
  app.use(unlessMachinePath(chain(sessions, form, currentUserMiddleware(users), languageMiddleware(config.DEFAULT_LANGUAGE), csrfTokenForViews(purposeKeys(config, 'csrf'), config.secureCookies))));
  app.use(unlessMachinePath(twoFactorGate(services.twoFactor, services.passkeys.store)));
  app.use(languageRoutes({ users, secureCookies: config.secureCookies }));
  app.use(authorizeRoutes({ config, consents: services.consents, clients, oauth, log, oidc }));
  app.use(oidcRoutes(services, log));
  app.use(deviceRoutes(services, log));
  app.use(accountRoutes({ users, clients, passkeys: services.passkeys.store, log, loginGuard: limiters.loginGuard, secondStepSeconds: config.TWO_FACTOR_LOGIN_SECONDS, passwordless: config.PASSKEY_PASSWORDLESS }));
  app.use(accountSecurityRoutes({ services, log, loginGuard: limiters.loginGuard }));
  app.use(passwordLinkRoutes({ services, log, keySecret: signingSecret }));
  app.use(extraBrowserRoutes(services, log));
  app.get('/', async (_req, res, next) => {
    try {
      res.render('home.njk', { firstAdminCommand: (await services.firstRun.needsFirstAdmin()) ? FIRST_ADMIN_COMMAND : undefined });
    } catch (err) {
      next(err);
    }
  });

  app.use((req: Request, res: Response) => {
    if (wantsJson(req)) return res.status(404).json({ error: 'not_found', error_description: 'No such endpoint.' });
    const t = tr(res);
    res.status(404).render('error.njk', { title: t('errors:pageNotFound.title'), message: t('errors:pageNotFound.message') });
  });
  app.use(errorHandler(log));


  return {
    app,
    close: async () => {
      await sessionStore.close().catch(() => undefined);
    },
  };
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** Browser pages under /o/ (everything else there is an API endpoint). OIDC pages add theirs here. */
export const BROWSER_O_PATHS = /^\/o\/(authorize|logout|end[-_]session|device)(\/|$)/;

/** Paths served to programs: no session, CSRF, views or page headers. */
export function isMachinePath(path: string): boolean {
  if (path.startsWith('/api/') || path.startsWith('/.well-known/') || path === '/healthz' || path.startsWith(`${SCIM_BASE_PATH}/`) || path === SCIM_BASE_PATH) return true;
  return path.startsWith('/o/') && !BROWSER_O_PATHS.test(path);
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

function unlessMachinePath(browser: Middleware, machine?: Middleware): Middleware {
  return (req, res, next) => (isMachinePath(req.path) ? (machine ? machine(req, res, next) : next()) : browser(req, res, next));
}

/** Runs middleware in order (as app.use(a, b, c) would), stopping at the first error. */
function chain(...handlers: Middleware[]): Middleware {
  return (req, res, next) => {
    let i = 0;
    const step = (err?: unknown) => {
      if (err || i === handlers.length) return next(err);
      const h = handlers[i++];
      try {
        h(req, res, step);
      } catch (e) {
        next(e);
      }
    };
    step();
  };
}

/** The page headers that still matter for JSON. */
function apiHeaders(https: boolean): Middleware {
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (https) res.setHeader('Strict-Transport-Security', 'max-age=15552000');
    next();
  };
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/o/') || req.path.startsWith('/api/') || req.path.startsWith('/.well-known/') || !req.accepts('html');
}

/** Last resort: bad bodies get 400/413 in the endpoint's language; anything else is logged, never shown. */
function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string; name?: string };
    let status = 500;
    let code = 'server_error';
    let message = 'The server could not complete the request.';
    if (e?.type === 'entity.too.large') [status, code, message] = [413, 'invalid_request', 'The request body is too large.'];
    else if (e?.type && typeof e.status === 'number' && e.status < 500) [status, code, message] = [400, 'invalid_request', 'The request body could not be parsed.'];
    else if (isDatabaseUnavailable(err)) [status, code, message] = [503, 'temporarily_unavailable', 'The database is unavailable; try again shortly.'];
    if (status >= 500) log.error({ err: { name: e?.name, message: e?.message }, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (wantsJson(req)) return res.status(status).set('Cache-Control', 'no-store').json({ error: code, error_description: message });
    // The page in the reader's language (the JSON above keeps the endpoint's English sentence).
    const t = tr(res);
    const pageMessage = { server_error: t('errors:server.serverError'), temporarily_unavailable: t('errors:server.databaseUnavailable') }[code] ?? (status === 413 ? t('errors:server.tooLarge') : t('errors:server.unparseable'));
    res.status(status).render('error.njk', { title: status === 413 ? t('errors:server.tooMuchDataTitle') : status >= 500 ? t('errors:server.somethingWrongTitle') : t('errors:server.badRequestTitle'), message: pageMessage });
  };
}
