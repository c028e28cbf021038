// POST /o/introspect/ — RFC 7662, for authenticated confidential clients. A client sees its own
// tokens; clients created with allowIntrospection (resource servers) see every client's. Any
// other token is {"active": false}, as if unknown. A valid access token costs one database
// read (client and profile come from the in-process caches).
import type { Request, Response } from 'express';
import type { Config } from '../../kernel/config';
import { OAuthError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import type { ClientStore } from '../../store/clients';
import type { TokenStore } from '../../store/tokens';
import type { UserDoc } from '../../db/schema';
import { authenticateClient, presentedCredentials } from '../../domain/oauth/client-auth';
import { formBody, queryParams, required } from '../../domain/oauth/params';
import { findToken, isActive } from '../../domain/oauth/token-lookup';
import { withOAuthErrors } from '../kit/oauth-errors';

export function introspectHandler(deps: { config: Config; clients: ClientStore; tokens: TokenStore; users: { byId(id: string): Promise<UserDoc | null> }; log: Logger }) {
  const refusal = { log: deps.log, event: 'introspect_error', message: (e: OAuthError) => `introspection refused: ${e.reason}` };
  return withOAuthErrors(refusal, async (req: Request, res: Response) => {
    const body = formBody(req);
    if (Object.keys(queryParams(req)).length > 0) throw new OAuthError('invalid_request', 'Introspection parameters must be in the form-encoded body.');
    const client = await authenticateClient(deps.clients, presentedCredentials(req, body));
    if (client.type !== 'confidential') throw new OAuthError('invalid_client', 'Only confidential clients may introspect tokens.');
    const token = required(body, 'token');
    const found = await findToken(deps.tokens, token, body.token_type_hint);
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    if (!found || !isActive(found, deps.tokens.now())) return res.json({ active: false });
    if (found.doc.clientId !== client._id && !client.allowIntrospection) return res.json({ active: false });
    // A refresh token retired by rotation is no longer active (it only serves retries within the grace window).
    if (found.kind === 'refresh_token' && (await deps.tokens.successorOf(found.doc._id))) return res.json({ active: false });
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
  });
}
