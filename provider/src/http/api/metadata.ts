// RFC 8414 authorization server metadata, with the OpenID Provider metadata (oidc/discovery.ts)
// in the same document: it is served at every discovery path.
import type { Request, Response } from 'express';
import type { Config } from '../../kernel/config';
import type { ClientStore } from '../../store/clients';
import { openIdMetadata } from '../../domain/oidc/discovery';

export function metadataBody(config: Config, pkceMethods: string[] = ['S256']) {
  const i = config.issuer;
  const oidc = openIdMetadata(config);
  return {
    issuer: i,
    authorization_endpoint: `${i}/o/authorize/`,
    token_endpoint: `${i}/o/token/`,
    revocation_endpoint: `${i}/o/revoke_token/`,
    introspection_endpoint: `${i}/o/introspect/`,
    userinfo_endpoint: `${i}/api/v2/o/userinfo/`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'password', 'urn:ietf:params:oauth:grant-type:device_code'],
    device_authorization_endpoint: `${i}/o/device-authorization/`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: config.scopes,
    code_challenge_methods_supported: pkceMethods,
    service_documentation: `${i}/`,
    ...oidc,
    // The DOT-style userinfo fields (id, username) and the OpenID Connect claims.
    claims_supported: [...new Set(['id', 'username', ...oidc.claims_supported])],
  };
}

/** "plain" is advertised only while some client is allowed to use it (RFC 9700 §2.1.1); the answer is cached (store/clients.ts). */
async function pkceMethods(clients: ClientStore): Promise<string[]> {
  return (await clients.anyAllowsPlainPkce()) ? ['S256', 'plain'] : ['S256'];
}

export function metadataHandler(config: Config, clients: ClientStore) {
  return async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=300').json(metadataBody(config, await pkceMethods(clients)));
  };
}
