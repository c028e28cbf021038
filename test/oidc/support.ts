// Shared helpers for the OpenID Connect suites: a configured openid-client (panva) relying party
// and a login that walks the provider's real forms.
import { Issuer, custom, generators, type BaseClient, type ClientMetadata } from 'openid-client';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { HttpSession, hiddenFields } from '../support/http-session';

// A loaded CI machine can be slower than openid-client's 3.5 s default.
custom.setHttpOptionsDefaults({ timeout: 20000 });

export const ALICE = { username: 'alice', password: 'correct horse battery' };

export async function discoverClient(baseUrl: string, metadata: ClientMetadata): Promise<BaseClient> {
  const issuer = await Issuer.discover(baseUrl);
  return new issuer.Client(metadata);
}

export interface StartedLogin {
  url: string;
  checks: { code_verifier: string; nonce: string; state: string };
}

export function startLogin(client: BaseClient, extra: Record<string, string> = {}): StartedLogin {
  const code_verifier = generators.codeVerifier();
  const nonce = generators.nonce();
  const state = generators.state();
  const url = client.authorizationUrl({ scope: 'openid profile email', code_challenge: generators.codeChallenge(code_verifier), code_challenge_method: 'S256', nonce, state, ...extra });
  return { url, checks: { code_verifier, nonce, state } };
}

/** Drives login + consent and returns the URL the provider sends the browser back to. */
export async function loginAndReturn(url: string, session = new HttpSession()): Promise<URL> {
  return authorizeWithForms(url, ALICE, { session });
}

/** The parameters of a redirect back: the query, or (hybrid) the fragment. */
export function returnedParams(u: URL): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(u.hash ? u.hash.slice(1) : u.search));
}

/** Payload of a JWT, without verification (assertions on what was already verified). */
export function jwtPayload(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

export function jwtHeader(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));
}

/** A browser-like session signed in at the provider's login form. */
export async function signedInSession(baseUrl: string, username: string, password: string): Promise<HttpSession> {
  const session = new HttpSession();
  const page = await session.request(`${baseUrl}/accounts/login/`);
  const res = await session.request(`${baseUrl}/accounts/login/`, { form: { ...hiddenFields(await page.text(), '/accounts/login/'), username, password } });
  if (res.status !== 303) throw new Error(`login failed with HTTP ${res.status}`);
  return session;
}
