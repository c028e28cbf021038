// POST /o/token/ — RFC 6749 §3.2. Accepts the three client shapes of DESIGN.md:
// Rocket.Chat Custom OAuth (Basic or body credentials), the Apps-Engine OAuth2Client
// (everything in the query string, only for clients that allow it), standard clients.
import OAuth2Server, { Request, Response } from '@node-oauth/oauth2-server';
import { OAuthError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import { GRANT_TYPES, type ClientStore } from '../../store/clients';
import type { GrantType } from '../../db/schema';
import { authenticateClient, presentedCredentials } from '../../domain/oauth/client-auth';
import { formBody, queryParams, required, type Params } from '../../domain/oauth/params';
import { libraryErrorCode } from '../../domain/oauth/server';
import { refreshGrant, type TokenResponseBody } from '../../domain/oauth/refresh-grant';
import type { Config } from '../../kernel/config';
import type { TokenStore } from '../../store/tokens';
import { withOAuthErrors } from '../kit/oauth-errors';
import type { OidcService } from '../../domain/oidc/service';
import type { LoginAttempt, LoginGuard } from '../middleware/rate-limit-login';
import { clientIpKey, sendTooManyRequests } from '../middleware/rate-limits';

export interface TokenHandlerDeps {
  oauth: OAuth2Server;
  clients: ClientStore;
  tokens: TokenStore;
  config: Config;
  log: Logger;
  loginGuard?: LoginGuard;
  /** OpenID Connect: adds id_token to the answers of `openid` grants. */
  oidc?: OidcService;
}

/** The library's own errors (grant handlers, device polling answers) as OAuth refusals. */
function libraryError(err: unknown): OAuthError | undefined {
  const known = libraryErrorCode(err);
  return known ? new OAuthError(known.code as never, known.message, known.status) : undefined;
}

export function tokenHandler(deps: TokenHandlerDeps) {
  // Rocket.Chat discards error bodies ("Failed to complete OAuth handshake"): the refusal's log line is the admin's only clue.
  const refusal = { log: deps.log, event: 'token_error', message: (e: OAuthError) => `token request refused: ${e.code}: ${e.reason}`, translate: libraryError };
  return withOAuthErrors(refusal, async (req, res, fields) => {
    let clientId: string | undefined;
    let grantType: string | undefined;
    let passwordAttempt: LoginAttempt | undefined;
    try {
      const body = formBody(req);
      const query = queryParams(req);
      let params: Params = body;
      let creds = presentedCredentials(req, body);
      if (Object.keys(query).length > 0) {
        // Only the Apps-Engine client puts parameters here; accept them only from a client registered for it.
        const queryCreds = creds ?? presentedCredentials(req, query);
        const candidate = queryCreds ? await deps.clients.byId(queryCreds.clientId) : null;
        // Same answer for an unknown client as for one that may not use the query string.
        if (!candidate?.allowQueryCredentials) {
          throw new OAuthError('invalid_request', 'Token request parameters must be in the form-encoded body, not the query string (only clients created with the rocketchat-app preset may use the query string).');
        }
        params = { ...query, ...body };
        creds = presentedCredentials(req, params);
      }
      clientId = fields.clientId = creds?.clientId;
      grantType = fields.grantType = required(params, 'grant_type');
      const client = await authenticateClient(deps.clients, creds);
      if (GRANT_TYPES.includes(grantType as GrantType) && !client.grants.includes(grantType as GrantType)) {
        throw new OAuthError('unauthorized_client', `This client may not use the ${grantType} grant.`);
      }
      let answer: TokenResponseBody;
      if (grantType === 'refresh_token') {
        answer = await refreshGrant(deps, client, params);
      } else {
        const libraryRequest = new Request({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1' },
          query: {},
          body: { ...params, client_id: client._id, client_secret: creds?.clientSecret },
        });
        const libraryResponse = new Response({ headers: {} });
        // The password grant guesses passwords like the sign-in form: same per-IP and per-account limits.
        if (grantType === 'password' && deps.loginGuard) {
          passwordAttempt = await deps.loginGuard.begin(clientIpKey(req), params.username);
          if (!passwordAttempt.allowed) {
            deps.log.warn({ event: 'login_rate_limited', clientId, ip: req.ip, limitedBy: passwordAttempt.limitedBy }, 'too many password grant attempts');
            return sendTooManyRequests(res, passwordAttempt.retryAfterSeconds);
          }
        }
        await deps.oauth.token(libraryRequest, libraryResponse);
        if (passwordAttempt?.allowed) await passwordAttempt.succeeded();
        answer = libraryResponse.body as TokenResponseBody;
      }
      deps.log.info({ event: 'token_issued', clientId: client._id, grantType }, 'token issued');
      // OpenID Connect: an `openid` grant also gets an ID token.
      const reply = deps.oidc ? await deps.oidc.tokenResponse(answer as unknown as Record<string, unknown>, grantType) : answer;
      res.status(200).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(reply);
    } catch (err) {
      if (passwordAttempt?.allowed) passwordAttempt.failed();
      throw err;
    }
  });
}
