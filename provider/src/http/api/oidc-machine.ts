// The OpenID Connect layer's machine endpoints (no sessions), mounted by app.ts in one call
// before the token and userinfo routes: JWKS, RFC 9728 metadata, per-client CORS, the device
// authorization endpoint and (when enabled) dynamic client registration.
import type { Express, RequestHandler } from 'express';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { corsRoutes } from '../middleware/cors';
import { deviceAuthorizationHandler } from './device';
import { jwksHandler, protectedResourceHandler } from '../../domain/oidc/discovery';
import { registrationRoutes } from './registration';

export function mountOidcMachineEndpoints(app: Express, deps: { services: Services; log: Logger; form: RequestHandler; tokenLimiter: RequestHandler }): void {
  const { services, log, form, tokenLimiter } = deps;
  const { config, clients, tokens, oidc } = services;
  app.get(['/o/.well-known/jwks.json', '/.well-known/jwks.json'], jwksHandler(oidc.keys));
  app.get('/.well-known/oauth-protected-resource', protectedResourceHandler(config));
  // Per-client CORS for browser apps (allowed origins): preflights, then the per-client check.
  const cors = corsRoutes({ clients, tokens });
  app.options(['/o/token/', '/o/revoke_token/'], tokenLimiter, cors.preflight('POST'));
  app.options(['/o/userinfo/', '/api/v2/o/userinfo/'], tokenLimiter, cors.preflight('GET, POST'));
  app.use(['/o/token/', '/o/revoke_token/'], form, cors.forClient);
  app.use(['/o/userinfo/', '/api/v2/o/userinfo/'], cors.forBearer);
  app.post('/o/device-authorization/', tokenLimiter, form, deviceAuthorizationHandler(services, log));
  app.all('/o/device-authorization/', (_req, res) => {
    res.set('Allow', 'POST').status(405).json({ error: 'invalid_request', error_description: 'Use POST.' });
  });
  if (config.DYNAMIC_CLIENT_REGISTRATION) {
    app.use('/o/register', tokenLimiter);
    app.use(registrationRoutes(services, oidc.registrations, log));
  }
}
