// Validates an authorization request (RFC 6749 §4.1.1, RFC 7636, RFC 9700 §2.1).
// An unknown client or redirect URI is never redirected to: it gets an error page.
import type { Config } from '../../kernel/config';
import type { ClientDoc } from '../../db/schema';
import type { ClientStore } from '../../store/clients';
import type { Params } from './params';
import { checkOidcParams, checkResponseType, type OidcAuthorizeParams, type ResponseType } from '../oidc/authorize-params';

export interface AuthorizeRequest {
  client: ClientDoc;
  redirectUri: string;
  scope: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  responseType: ResponseType;
  /** OpenID Connect parameters (nonce, prompt, max_age, login_hint, claims). */
  oidc: OidcAuthorizeParams;
}

export type AuthorizeValidation =
  | { kind: 'ok'; request: AuthorizeRequest }
  | { kind: 'page'; title: string; message: string }
  | { kind: 'redirect'; url: string; error: string; description: string };

/** The parameters that travel through login and consent, and nothing else. */
export const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce', 'prompt', 'max_age', 'login_hint', 'claims', 'response_mode'] as const;
/** Checked (and refused) but never carried. */
const REFUSED_PARAMS = ['request', 'request_uri', 'registration'];

/** Hybrid responses (code id_token) answer in the fragment (OIDC Core §3.3.2.5), errors too. */
export function errorRedirect(redirectUri: string, error: string, description: string, state?: string, mode: 'query' | 'fragment' = 'query'): string {
  const url = new URL(redirectUri);
  const params = mode === 'query' ? url.searchParams : new URLSearchParams();
  params.set('error', error);
  params.set('error_description', description);
  if (state !== undefined) params.set('state', state);
  if (mode === 'fragment') url.hash = params.toString();
  return url.toString();
}

export async function validateAuthorizeRequest(raw: Record<string, unknown>, clients: ClientStore, config: Config): Promise<AuthorizeValidation> {
  for (const name of [...AUTHORIZE_PARAMS, ...REFUSED_PARAMS]) {
    if (raw[name] !== undefined && typeof raw[name] !== 'string') {
      return { kind: 'page', title: 'Invalid sign-in request', message: `The parameter "${name}" was sent more than once or is malformed. Start the sign-in again from the application.` };
    }
  }
  const p = raw as Params;
  if (!p.client_id) return { kind: 'page', title: 'Invalid sign-in request', message: 'The application did not say who it is (client_id is missing). Ask its administrator to check its OAuth settings.' };
  const client = await clients.byId(p.client_id);
  if (!client) return { kind: 'page', title: 'Unknown application', message: 'The application that sent you here is not registered with this sign-in service (unknown client_id). Ask its administrator to check the client id.' };

  let redirectUri = p.redirect_uri;
  if (!redirectUri) {
    if (client.redirectUris.length !== 1) return { kind: 'page', title: 'Invalid sign-in request', message: `The application "${client.name}" did not say where to return (redirect_uri is missing).` };
    redirectUri = client.redirectUris[0];
  } else if (!client.redirectUris.includes(redirectUri)) {
    return {
      kind: 'page',
      title: 'Unregistered return address',
      message: `The application "${client.name}" asked to return to an address that is not registered for it (redirect_uri mismatch). An administrator must register the exact URI, character for character.`,
    };
  }
  const state = p.state;
  let mode: 'query' | 'fragment' = 'query';
  const fail = (error: string, description: string): AuthorizeValidation => ({ kind: 'redirect', url: errorRedirect(redirectUri!, error, description, state, mode), error, description });

  if (!p.response_type) return fail('invalid_request', 'Missing parameter: response_type.');
  const responseType = checkResponseType(p.response_type);
  if (!responseType.ok) return fail(responseType.error, responseType.description);
  if (responseType.value !== 'code') mode = 'fragment';
  if (!client.grants.includes('authorization_code')) return fail('unauthorized_client', 'This client may not use the authorization code grant.');
  if (state !== undefined && state.length > 2048) return fail('invalid_request', 'state is too long.');

  const requested = (p.scope ?? '').split(/\s+/).filter(Boolean);
  const scope = requested.length ? [...new Set(requested)] : config.defaultScopes;
  const unknown = scope.filter((s) => !config.scopes.includes(s));
  if (unknown.length) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  const oidc = checkOidcParams(p, scope, responseType.value);
  if (!oidc.ok) return fail(oidc.error, oidc.description);

  let codeChallengeMethod: 'S256' | 'plain' | undefined;
  const codeChallenge = p.code_challenge || undefined;
  if (codeChallenge) {
    const method = p.code_challenge_method || 'plain';
    if (method !== 'S256' && method !== 'plain') return fail('invalid_request', 'code_challenge_method must be S256.');
    if (method === 'plain' && !client.allowPlainPkce) return fail('invalid_request', 'code_challenge_method "plain" is not allowed for this client; use S256.');
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(codeChallenge)) return fail('invalid_request', 'code_challenge must be 43–128 characters of [A-Z a-z 0-9 - . _ ~].');
    codeChallengeMethod = method;
  } else if (p.code_challenge_method) {
    return fail('invalid_request', 'code_challenge_method was sent without code_challenge.');
  } else if (client.requirePkce || client.type === 'public') {
    return fail('invalid_request', 'Code challenge required: this client must use PKCE (code_challenge with code_challenge_method=S256).');
  }
  return { kind: 'ok', request: { client, redirectUri, scope, state, codeChallenge, codeChallengeMethod, responseType: responseType.value, oidc: oidc.value } };
}
