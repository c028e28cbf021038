// POST /o/introspect/ — RFC 7662, for authenticated confidential clients (resource servers).
import type { Request, Response } from 'express';
import type { Config } from '../config';
import { OAuthError } from '../errors';
import type { Logger } from '../log';
import type { ClientStore } from '../store/clients';
import type { TokenStore } from '../store/tokens';
import type { UserStore } from '../store/users';
import { authenticateClient, presentedCredentials } from '../oauth/client-auth';
import { formBody, queryParams, required } from '../oauth/params';
import { findToken, isActive } from '../oauth/token-lookup';
import { sendOAuthError } from './oauth-errors';

export function introspectHandler(deps: { config: Config; clients: ClientStore; tokens: TokenStore; users: UserStore; log: Logger }) {
  return async (req: Request, res: Response) => {
    try {
      const body = formBody(req);
      if (Object.keys(queryParams(req)).length > 0) throw new OAuthError('invalid_request', 'Introspection parameters must be in the form-encoded body.');
      const client = await authenticateClient(deps.clients, presentedCredentials(req, body));
      if (client.type !== 'confidential') throw new OAuthError('invalid_client', 'Only confidential clients may introspect tokens.');
      const token = required(body, 'token');
      const found = await findToken(deps.tokens, token, body.token_type_hint);
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      if (!found || !isActive(found)) return res.json({ active: false });
      const user = found.doc.userId ? await deps.users.byId(found.doc.userId) : null;
      if (found.doc.userId && !user?.active) return res.json({ active: false });
      res.json({
        active: true,
        scope: found.doc.scope.join(' '),
        client_id: found.doc.clientId,
        username: user?.username,
        token_type: found.kind === 'access_token' ? 'Bearer' : 'refresh_token',
        exp: Math.floor(found.doc.expiresAt.getTime() / 1000),
        iat: Math.floor(found.doc.createdAt.getTime() / 1000),
        sub: user?._id ?? found.doc.clientId,
        iss: deps.config.issuer,
      });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      deps.log.warn({ event: 'introspect_error', error: err.code, reason: err.message }, `introspection refused: ${err.message}`);
      sendOAuthError(res, err);
    }
  };
}
