// Per-client CORS for browser applications (DOT's "allowed origins"): the token, revocation and
// userinfo endpoints answer a cross-origin request with Access-Control-Allow-Origin only when the
// Origin is registered (https, exact) for the client the request is from. Preflights pass for an
// Origin some client registered; the actual request is then judged per client.
import type { NextFunction, Request, Response } from 'express';
import { presentedCredentials } from '../../domain/oauth/client-auth';
import type { ClientStore } from '../../store/clients';
import type { TokenStore } from '../../store/tokens';

export { validateAllowedOrigin } from '../../kernel/origins';

function allow(res: Response, origin: string) {
  res.set('Access-Control-Allow-Origin', origin);
}

export function corsRoutes(deps: { clients: ClientStore; tokens: TokenStore }) {
  /** OPTIONS: answer the preflight for an origin some client registered. */
  const preflight = (methods: string) => async (req: Request, res: Response) => {
    res.vary('Origin');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !(await deps.clients.anyAllowsOrigin(origin))) {
      return res.status(403).set('Cache-Control', 'no-store').json({ error: 'invalid_request', error_description: 'This origin is not registered for any client (allowed origins).' });
    }
    allow(res, origin);
    res.set({ 'Access-Control-Allow-Methods': methods, 'Access-Control-Allow-Headers': 'Authorization, Content-Type', 'Access-Control-Max-Age': '600' });
    res.status(204).end();
  };

  /** Token and revocation: the client is the one the request authenticates as. */
  const forClient = async (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string') return next();
    res.vary('Origin');
    let clientId: string | undefined;
    try {
      clientId = presentedCredentials(req, (req.body ?? {}) as Record<string, string>)?.clientId;
    } catch {
      clientId = undefined; // the endpoint itself reports malformed credentials
    }
    const client = clientId ? await deps.clients.byId(clientId) : null;
    if (client?.allowedOrigins?.includes(origin)) allow(res, origin);
    next();
  };

  /** Userinfo: the client is the one the bearer token was issued to. */
  const forBearer = async (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string') return next();
    res.vary('Origin');
    const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization?.trim() ?? '');
    const token = m ? await deps.tokens.findActiveAccessToken(m[1]) : null;
    const client = token ? await deps.clients.byId(token.clientId) : null;
    if (client?.allowedOrigins?.includes(origin)) allow(res, origin);
    next();
  };

  return { preflight, forClient, forBearer };
}
