// The @node-oauth/oauth2-server instance: grant logic (codes, PKCE verification, refresh,
// client credentials, password) over our storage model.
import OAuth2Server, { type ServerOptions } from '@node-oauth/oauth2-server';
import type { Config } from '../../kernel/config';
import type { OAuthModel } from './model';

export function createOAuthServer(model: OAuthModel, config: Config, extendedGrantTypes: ServerOptions['extendedGrantTypes'] = {}): OAuth2Server {
  return new OAuth2Server({
    model,
    accessTokenLifetime: config.ACCESS_TOKEN_EXPIRE_SECONDS,
    refreshTokenLifetime: config.REFRESH_TOKEN_EXPIRE_SECONDS,
    authorizationCodeLifetime: config.AUTHORIZATION_CODE_EXPIRE_SECONDS,
    alwaysIssueNewRefreshToken: config.ROTATE_REFRESH_TOKEN,
    extendedGrantTypes,
    allowEmptyState: true,
    // Plain PKCE codes only exist for clients that allow it (checked at /o/authorize/).
    enablePlainPKCE: true,
    // We authenticate clients ourselves before the library runs (oauth/client-auth.ts).
    requireClientAuthentication: { authorization_code: false, refresh_token: false, password: false, client_credentials: false, 'urn:ietf:params:oauth:grant-type:device_code': false },
  } as ServerOptions);
}

/** Maps an error thrown by the library to our OAuthError shape. */
export function libraryErrorCode(err: unknown): { code: string; status: number; message: string } | undefined {
  const e = err as { name?: string; code?: number; message?: string };
  if (!e || typeof e.name !== 'string' || typeof e.code !== 'number') return undefined;
  // The last three are the device grant's polling answers (RFC 8628 §3.5, oidc/device.ts).
  const known = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'access_denied', 'unsupported_response_type', 'invalid_token', 'insufficient_scope', 'authorization_pending', 'slow_down', 'expired_token'];
  if (!known.includes(e.name)) return undefined;
  return { code: e.name, status: e.code, message: e.message ?? e.name };
}
