// OpenID Provider metadata (OpenID Connect Discovery 1.0 §3) added to the RFC 8414 document,
// and the JWKS route. One document is served at every discovery path, so they never disagree.
import type { Request, Response } from 'express';
import type { Config } from '../../kernel/config';
import { SUPPORTED_CLAIMS } from './claims';
import type { SigningKeys } from '../../store/signing-keys';

export function openIdMetadata(config: Config) {
  const i = config.issuer;
  return {
    jwks_uri: `${i}/o/.well-known/jwks.json`,
    end_session_endpoint: `${i}/o/logout/`,
    response_types_supported: ['code', 'code id_token'],
    response_modes_supported: ['query', 'fragment'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    claims_supported: ['sub', 'iss', 'aud', 'azp', 'exp', 'iat', 'auth_time', 'amr', 'nonce', 'at_hash', 'c_hash', ...SUPPORTED_CLAIMS.filter((c) => c !== 'sub')],
    claims_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claim_types_supported: ['normal'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    subject_types_supported: ['public'],
    userinfo_signing_alg_values_supported: [],
    ...(config.DYNAMIC_CLIENT_REGISTRATION ? { registration_endpoint: `${i}/o/register/` } : {}),
  };
}

export function jwksHandler(keys: SigningKeys) {
  return async (_req: Request, res: Response) => {
    // Short cache: a rotated-in key must reach relying parties well before it signs.
    res.set('Cache-Control', 'public, max-age=60').type('application/jwk-set+json').json(await keys.jwks());
  };
}

/**
 * RFC 9728 protected-resource metadata for the provider's own API (userinfo): which
 * authorization server issues its tokens and how a bearer token may be sent.
 */
export function protectedResourceHandler(config: Config) {
  return (_req: Request, res: Response) => {
    const i = config.issuer;
    res.set('Cache-Control', 'public, max-age=300').json({
      resource: i,
      authorization_servers: [i],
      scopes_supported: config.scopes,
      // Rocket.Chat's "Identity Token Sent Via: Payload" puts the token in the query string.
      bearer_methods_supported: ['header', 'body', 'query'],
      resource_name: config.PRODUCT_NAME,
      resource_documentation: `${i}/`,
    });
  };
}
