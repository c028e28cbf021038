// Shared by the people tests: a leaver, whatever route they arrive by, loses every token at once
// and the Rocket.Chat app's offboarding job (POST /api/v2/hrm/status/) sees "left".
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import type { TestProvider } from '../support/provider';

export const REDIRECT = 'https://app.example.test/cb';
export const password = (u: string) => `${u}-long-password-1`;

export interface Clients {
  web: { client_id: string; client_secret: string };
  app: { client_id: string; client_secret: string };
}

export async function createClients(p: TestProvider): Promise<Clients> {
  return {
    web: await p.createClient({ name: 'Web', redirectUris: [REDIRECT], preset: 'generic', skipAuthorization: true }),
    app: await p.createClient({ name: 'Rocket.Chat app', redirectUris: ['https://chat.example.test/api/apps/public/x/hrm-callback'], preset: 'rocketchat-app' }),
  };
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** A real sign-in (login form, code, token endpoint) for someone with a password. */
export async function signInTokens(p: TestProvider, c: Clients, username: string): Promise<Tokens> {
  const { code } = await obtainCode(p.baseUrl, { client_id: c.web.client_id, redirect_uri: REDIRECT, scope: 'read' }, { username, password: password(username) });
  const r = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(c.web.client_id, c.web.client_secret) });
  if (r.status !== 200) throw new Error(`token endpoint said ${r.status}: ${r.text}`);
  return r.json as Tokens;
}

export async function expectTokensWork(p: TestProvider, c: Clients, t: Tokens): Promise<void> {
  const info = await getJson(`${p.baseUrl}/o/userinfo/`, { authorization: `Bearer ${t.access_token}` });
  expect(info.status).toBe(200);
}

/** Every token is dead now, and the app's offboarding job is told "left". */
export async function expectLeft(p: TestProvider, c: Clients, username: string, t: Tokens): Promise<void> {
  const info = await getJson(`${p.baseUrl}/o/userinfo/`, { authorization: `Bearer ${t.access_token}` });
  expect(info.status).toBe(401);
  const intro = await postForm(`${p.baseUrl}/o/introspect/`, { token: t.access_token }, { authorization: basic(c.web.client_id, c.web.client_secret) });
  expect(intro.json).toEqual({ active: false });
  const refresh = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(c.web.client_id, c.web.client_secret) });
  expect(refresh.status).toBe(400);
  expect(refresh.json.error).toBe('invalid_grant');
  const status = await fetch(`${p.baseUrl}/api/v2/hrm/status/`, { method: 'POST', headers: { authorization: basic(c.app.client_id, c.app.client_secret), 'content-type': 'application/json' }, body: JSON.stringify({ ids: [username] }) });
  expect(status.status).toBe(200);
  expect(((await status.json()) as { users: { status: string }[] }).users[0].status).toBe('left');
  const doc = await p.db.users.findOne({ username });
  expect(doc).toMatchObject({ active: false, employmentStatus: 'left' });
}
