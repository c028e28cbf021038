// OpenID Connect parameters of an authorization request (OIDC Core §3.1.2.1, §3.3.2): the
// response types we serve, nonce, prompt, max_age, login_hint and the claims request.
import { parseClaimsParameter } from './claims';
import type { ClaimsRequest } from '../../db/oidc-schema';

export type ResponseType = 'code' | 'code id_token';

export interface OidcAuthorizeParams {
  nonce?: string;
  /** none, login, consent, select_account (select_account is handled as login: one account per browser). */
  prompt: string[];
  maxAge?: number;
  loginHint?: string;
  claims?: ClaimsRequest;
  /** The claims parameter as sent, carried through login and consent. */
  claimsRaw?: string;
}

export type ParamCheck<T> = { ok: true; value: T } | { ok: false; error: string; description: string };

/** Sent back when a front-channel access token is asked for: our deliberate difference from DOT. */
const FRONT_CHANNEL_REFUSAL =
  'Response types that return an access token in the browser (token, id_token token, code token, code id_token token) are not supported: RFC 9700 §2.1.2 (OAuth 2.0 Security Best Current Practice) says not to use them. Use response_type=code with PKCE.';

export function checkResponseType(raw: string): ParamCheck<ResponseType> {
  const parts = raw.split(' ').filter(Boolean).sort();
  const normalized = parts.join(' ');
  if (normalized === 'code') return { ok: true, value: 'code' };
  if (normalized === 'code id_token') return { ok: true, value: 'code id_token' };
  if (parts.includes('token')) return { ok: false, error: 'unsupported_response_type', description: FRONT_CHANNEL_REFUSAL };
  return { ok: false, error: 'unsupported_response_type', description: 'Supported response types: "code" and, for OpenID Connect, "code id_token".' };
}

const PROMPTS = ['none', 'login', 'consent', 'select_account'];

export function checkOidcParams(p: Record<string, string | undefined>, scope: string[], responseType: ResponseType): ParamCheck<OidcAuthorizeParams> {
  const bad = (description: string): ParamCheck<OidcAuthorizeParams> => ({ ok: false, error: 'invalid_request', description });
  const openid = scope.includes('openid');
  if (p.request !== undefined) return { ok: false, error: 'request_not_supported', description: 'The request parameter (request objects) is not supported.' };
  if (p.request_uri !== undefined) return { ok: false, error: 'request_uri_not_supported', description: 'The request_uri parameter is not supported.' };
  if (p.registration !== undefined) return { ok: false, error: 'registration_not_supported', description: 'The registration parameter is not supported.' };
  if (responseType !== 'code' && !openid) return bad(`response_type "${responseType}" needs the openid scope.`);
  const expectedMode = responseType === 'code' ? 'query' : 'fragment';
  if (p.response_mode !== undefined && p.response_mode !== expectedMode) return bad(`response_mode must be "${expectedMode}" for response_type "${responseType}".`);

  const nonce = p.nonce || undefined;
  if (nonce !== undefined && nonce.length > 512) return bad('nonce is too long (at most 512 characters).');
  if (responseType !== 'code' && !nonce) return bad(`nonce is required with response_type "${responseType}" (OIDC Core §3.3.2.11).`);

  const prompt = (p.prompt ?? '').split(' ').filter(Boolean);
  const unknown = prompt.filter((x) => !PROMPTS.includes(x));
  if (unknown.length) return bad(`Unknown prompt value: ${unknown.join(' ')}. Supported: ${PROMPTS.join(', ')}.`);
  if (prompt.includes('none') && prompt.length > 1) return bad('prompt=none cannot be combined with other prompt values.');

  let maxAge: number | undefined;
  if (p.max_age !== undefined && p.max_age !== '') {
    if (!/^\d{1,9}$/.test(p.max_age)) return bad('max_age must be a whole number of seconds.');
    maxAge = Number(p.max_age);
  }
  const loginHint = p.login_hint || undefined;
  if (loginHint !== undefined && loginHint.length > 254) return bad('login_hint is too long.');

  const { claims, error } = parseClaimsParameter(p.claims);
  if (error) return bad(error);
  return { ok: true, value: { nonce, prompt, maxAge, loginHint, claims: openid ? claims : undefined, claimsRaw: openid && claims ? p.claims : undefined } };
}

/** The login page pre-fills the username from the login_hint of the authorization request it returns to. */
export function loginHintFromNext(next: string): string | undefined {
  const url = new URL(next, 'http://local');
  if (url.pathname !== '/o/authorize/') return undefined;
  return url.searchParams.get('login_hint')?.slice(0, 254) || undefined;
}
