// The Express application: OAuth endpoints (JSON, no sessions) and browser pages (sessions, CSRF).
import express, { type NextFunction, type Request, type Response } from 'express';
import path from 'node:path';
import pinoHttp from 'pino-http';
import type { Logger } from './log';
import { requestSerializers } from './log';
import type { Services } from './services';
import { createOAuthModel } from './oauth/model';
import { createOAuthServer } from './oauth/server';
import { tokenHandler } from './routes/token';
import { revokeHandler } from './routes/revoke';
import { introspectHandler } from './routes/introspect';
import { userinfoHandler } from './routes/userinfo';
import { metadataHandler } from './routes/metadata';
import { healthHandler } from './routes/health';
import { accountRoutes } from './routes/accounts';
import { authorizeRoutes } from './routes/authorize';
import { createViews } from './web/views';
import { createSessionMiddleware } from './web/session';
import { currentUserMiddleware } from './web/current-user';
import { csrfTokenForViews } from './web/csrf';
import { securityHeaders } from './web/security-headers';
import { createRateLimiters } from './web/rate-limits';
import { extraBrowserRoutes } from './routes/browser-extras';
import { sweepSubmissions } from './routes/admin/support';
import { oidcRoutes } from './oidc/routes';
import { DEVICE_CODE_GRANT, deviceCodeGrantType } from './oidc/device';
import { deviceRoutes } from './oidc/device-routes';
import { mountOidcMachineEndpoints } from './oidc/machine-routes';

export interface ProviderApp {
  app: express.Express;
  close(): Promise<void>;
}

export function createApp(services: Services, log: Logger): ProviderApp {
  const { config, db, users, clients, tokens, oidc } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  app.set('query parser', 'simple');
  const views = createViews(config);
  views.express(app);
  app.set('view engine', 'njk');

  app.use(pinoHttp({ logger: log, serializers: requestSerializers, customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'), quietReqLogger: true }));
  app.use(securityHeaders(config));
  app.use('/static', express.static(path.join(__dirname, 'public'), { maxAge: '1h', index: false }));

  const form = express.urlencoded({ extended: false, limit: config.MAX_BODY_BYTES, parameterLimit: 100 });
  const limiters = createRateLimiters(config, db, log);
  const oauth = createOAuthServer(createOAuthModel({ db, config, clients, users, tokens, log }), config, { [DEVICE_CODE_GRANT]: deviceCodeGrantType(oidc.devices) });

  // Machine endpoints: no cookies, no sessions.
  app.get('/healthz', healthHandler(db));
  app.get(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration', '/o/.well-known/openid-configuration'], metadataHandler(config, db));
  // OpenID Connect: JWKS, RFC 9728, CORS, device authorization, registration (oidc/machine-routes.ts).
  mountOidcMachineEndpoints(app, { services, log, form, tokenLimiter: limiters.token });
  app.post('/o/token/', limiters.token, form, tokenHandler({ oauth, clients, log, oidc }));
  app.post('/o/revoke_token/', limiters.token, form, revokeHandler({ clients, tokens, log }));
  app.post('/o/introspect/', limiters.token, form, introspectHandler({ config, clients, tokens, users, log }));
  const userinfo = userinfoHandler({ tokens, users, log, oidc });
  app.get(['/o/userinfo/', '/api/v2/o/userinfo/'], userinfo);
  app.post(['/o/userinfo/', '/api/v2/o/userinfo/'], form, userinfo);
  for (const p of ['/o/token/', '/o/revoke_token/', '/o/introspect/']) {
    app.all(p, (_req, res) => { res.set('Allow', 'POST').status(405).json({ error: 'invalid_request', error_description: 'Use POST.' }); });
  }

  // Browser pages.
  const { middleware: sessions, store: sessionStore } = createSessionMiddleware(config, db);
  app.use(sessions, form, currentUserMiddleware(users), csrfTokenForViews);
  app.use(authorizeRoutes({ config, db, clients, oauth, log, oidc }));
  app.use(oidcRoutes(services, log));
  app.use(deviceRoutes(services, log));
  app.use(accountRoutes({ users, clients, log, loginLimiter: limiters.login }));
  app.use(extraBrowserRoutes(services, log));
  app.get('/', (_req, res) => res.render('home.njk'));

  app.use((req: Request, res: Response) => {
    if (wantsJson(req)) return res.status(404).json({ error: 'not_found', error_description: 'No such endpoint.' });
    res.status(404).render('error.njk', { title: 'Page not found', message: 'There is no page at this address.' });
  });
  app.use(errorHandler(log));

  const sweep = setInterval(() => {
    Promise.all([tokens.clear(), db.rateLimits.deleteMany({ resetAt: { $lte: new Date() } }), sweepSubmissions(db), oidc.grants.clear(), oidc.keys.clear(), oidc.devices.clear()]).catch((err) => log.warn({ err: String(err) }, 'sweep failed'));
  }, config.SWEEP_INTERVAL_SECONDS * 1000);
  sweep.unref();

  return {
    app,
    close: async () => {
      clearInterval(sweep);
      await sessionStore.close().catch(() => undefined);
    },
  };
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
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
    else if (e?.name?.startsWith('Mongo')) [status, code, message] = [503, 'temporarily_unavailable', 'The database is unavailable; try again shortly.'];
    if (status >= 500) log.error({ err: { name: e?.name, message: e?.message }, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (wantsJson(req)) return res.status(status).set('Cache-Control', 'no-store').json({ error: code, error_description: message });
    res.status(status).render('error.njk', { title: status === 413 ? 'Too much data' : status >= 500 ? 'Something went wrong' : 'Bad request', message });
  };
}
