// RFC 8414 authorization server metadata (also served at the OpenID discovery path,
// which some clients probe; no ID tokens are issued).
import type { Request, Response } from 'express';
import type { Config } from '../config';

export function metadataBody(config: Config) {
  const i = config.issuer;
  return {
    issuer: i,
    authorization_endpoint: `${i}/o/authorize/`,
    token_endpoint: `${i}/o/token/`,
    revocation_endpoint: `${i}/o/revoke_token/`,
    introspection_endpoint: `${i}/o/introspect/`,
    userinfo_endpoint: `${i}/api/v2/o/userinfo/`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: config.scopes,
    code_challenge_methods_supported: ['S256', 'plain'],
    subject_types_supported: ['public'],
    claims_supported: ['sub', 'id', 'username', 'preferred_username', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'department', 'job_title'],
    service_documentation: `${i}/`,
  };
}

export function metadataHandler(config: Config) {
  return (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=300').json(metadataBody(config));
  };
}
