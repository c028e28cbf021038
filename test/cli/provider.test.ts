// A client made by the CLI works against a running provider on the same database, and the
// CLI's rotate/delete/deactivate take effect there at once.
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { startTestProvider, type TestProvider } from '../support/provider';
import { runJson } from './run-cli';

let database: TestDatabase;
let provider: TestProvider;
let env: Record<string, string>;

beforeAll(async () => {
  database = await startTestDatabase();
  // The CLI changes clients under a running provider: no client cache here, so a rotated secret
  // fails at once (the cache's bounded delay is tested in test/provider/token-endpoints.test.ts).
  provider = await startTestProvider({ database, env: { CLIENT_CACHE_SECONDS: '0' } });
  env = { MONGO_URL: database.url, MONGO_DB: provider.config.MONGO_DB };
});

afterAll(async () => {
  await provider?.stop();
  await database?.stop();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function clientCredentials(id: string, secret: string) {
  const res = await fetch(`${provider.baseUrl}/o/token/`, {
    method: 'POST',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function introspect(id: string, secret: string, token: string) {
  const res = await fetch(`${provider.baseUrl}/o/introspect/`, {
    method: 'POST',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as Record<string, unknown>;
}

it('client_credentials with a CLI-made client, then rotate-secret and delete', async () => {
  const created = await runJson(['client', 'create', '--name', 'Batch job', '--grants', 'client_credentials'], { env });

  const first = await clientCredentials(created.client_id, created.client_secret);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i), access_token: expect.any(String) });
  expect(await introspect(created.client_id, created.client_secret, first.body.access_token as string)).toMatchObject({ active: true, client_id: created.client_id });

  const wrong = await clientCredentials(created.client_id, `${created.client_secret}x`);
  expect(wrong.status).toBe(401);
  expect(wrong.body.error).toBe('invalid_client');

  const rotated = await runJson(['client', 'rotate-secret', created.client_id], { env });
  expect((await clientCredentials(created.client_id, created.client_secret)).status).toBe(401);
  expect((await clientCredentials(created.client_id, rotated.client_secret)).status).toBe(200);

  await runJson(['client', 'delete', created.client_id], { env });
  const gone = await clientCredentials(created.client_id, rotated.client_secret);
  expect(gone.status).toBe(401);
  expect(gone.body.error).toBe('invalid_client');
});

it('a client without the client_credentials grant is refused by the provider', async () => {
  const login = await runJson(['client', 'create', '--name', 'Rocket.Chat', '--redirect-uri', 'https://chat.example.com/_oauth/hrm', '--preset', 'rocketchat-login'], { env });
  const r = await clientCredentials(login.client_id, login.client_secret);
  expect(r.status).toBe(400);
  expect(r.body.error).toBe('unauthorized_client');
});

it('a user created by the CLI can sign in at the provider; after deactivate they cannot', async () => {
  await runJson(['user', 'create', '--username', 'dana', '--email', 'dana@example.com', '--name', 'Dana Scully', '--password-stdin'], { env, input: 'dana-password\n' });
  const app = await runJson(['client', 'create', '--name', 'Password app', '--grants', 'password,refresh_token'], { env });
  const login = () =>
    fetch(`${provider.baseUrl}/o/token/`, {
      method: 'POST',
      headers: { authorization: basic(app.client_id, app.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: 'dana', password: 'dana-password', scope: 'read' }),
    });
  const ok = await login();
  expect(ok.status).toBe(200);
  const { access_token } = (await ok.json()) as { access_token: string };
  const me = await fetch(`${provider.baseUrl}/o/userinfo/`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(await me.json()).toMatchObject({ username: 'dana', email: 'dana@example.com', name: 'Dana Scully' });

  const out = await runJson(['user', 'deactivate', 'dana'], { env });
  expect(out.tokens_revoked).toBe(1);
  const after = await fetch(`${provider.baseUrl}/o/userinfo/`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(after.status).toBe(401);
  expect((await login()).status).toBe(400);
});
