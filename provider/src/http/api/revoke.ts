// POST /o/revoke_token/ — RFC 7009. Revoking either token of a grant revokes the whole grant.
// Token-only revocation (no client authentication, ?token= in the query) is accepted only for
// tokens of clients registered for the Rocket.Chat app, whose engine client sends exactly that.
import type { Request, Response } from 'express';
import { OAuthError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import type { ClientStore } from '../../store/clients';
import type { TokenStore } from '../../store/tokens';
import { authenticateClient, basicCredentials, presentedCredentials } from '../../domain/oauth/client-auth';
import { formBody, queryParams, required } from '../../domain/oauth/params';
import { findToken } from '../../domain/oauth/token-lookup';
import { withOAuthErrors } from '../kit/oauth-errors';

export function revokeHandler(deps: { clients: ClientStore; tokens: TokenStore; log: Logger }) {
  const refusal = { log: deps.log, event: 'revoke_error', message: (e: OAuthError) => `revocation refused: ${e.reason}` };
  return withOAuthErrors(refusal, async (req: Request, res: Response) => {
    const body = formBody(req);
    const query = queryParams(req);
    const authenticated = !!basicCredentials(req) || body.client_id !== undefined;
    if (!authenticated) {
      const token = required({ ...query, ...body }, 'token');
      const found = await findToken(deps.tokens, token, body.token_type_hint ?? query.token_type_hint);
      if (found) {
        const owner = await deps.clients.byId(found.doc.clientId);
        if (!owner?.allowTokenOnlyRevocation) throw new OAuthError('invalid_client', 'Client authentication is required to revoke this token.');
        await deps.tokens.revokeFamily(found.doc.familyId);
        deps.log.info({ event: 'token_revoked', clientId: owner._id, kind: found.kind, auth: 'token-only' }, 'token revoked');
      }
      return res.status(200).set('Cache-Control', 'no-store').type('json').end();
    }
    if (Object.keys(query).length > 0) throw new OAuthError('invalid_request', 'Revocation parameters must be in the form-encoded body, not the query string.');
    const client = await authenticateClient(deps.clients, presentedCredentials(req, body));
    const token = required(body, 'token');
    const found = await findToken(deps.tokens, token, body.token_type_hint);
    // RFC 7009 §2.2: unknown tokens get 200; tokens of another client are left alone, also with 200.
    if (found && found.doc.clientId === client._id) {
      await deps.tokens.revokeFamily(found.doc.familyId);
      deps.log.info({ event: 'token_revoked', clientId: client._id, kind: found.kind }, 'token revoked');
    }
    res.status(200).set('Cache-Control', 'no-store').type('json').end();
  });
}
