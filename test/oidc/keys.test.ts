// Signing keys end to end: generated once when two instances start together, encrypted at rest,
// rotated by the CLI and the admin page (published before signing), ES256, and retired keys
// leaving the JWKS so tokens they signed stop verifying.
import { createRemoteJWKSet, jwtVerify, errors as joseErrors } from 'jose';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { startTestProvider, TEST_SESSION_SECRET, type TestProvider } from '../support/provider';
import { loadConfig } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { createLogger } from '../../provider/src/kernel/log';
import { startProviderServer } from '../../provider/src/server';
import { HttpSession, hiddenFields } from '../support/http-session';
import { getJson } from '../support/oauth-requests';
import { runCli, runJson } from '../cli/run-cli';
import { ALICE, discoverClient, jwtHeader, loginAndReturn, returnedParams, signedInSession, startLogin } from './support';

const REDIRECT = 'http://127.0.0.1:9/cb';
const ENCRYPTION_KEY = 'k'.repeat(40);
// Publish-ahead leaves room for a CLI start and a login on a loaded machine before the new key signs.
const SETTINGS = { ID_TOKEN_EXPIRE_SECONDS: '4', OIDC_KEY_PUBLISH_AHEAD_SECONDS: '6', OIDC_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY };

let database: TestDatabase;
let a: TestProvider;
let b: TestProvider;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  database = await startTestDatabase();
  // Two instances start at the same moment on an empty database.
  [a, b] = await Promise.all([startTestProvider({ database, env: SETTINGS }), startTestProvider({ database, env: SETTINGS })]);
  await a.createUser({ ...ALICE, email: 'alice@example.com', name: 'Alice Smith', admin: true });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await database?.stop();
});

const cliEnv = () => ({ MONGO_URL: database.url, MONGO_DB: 'hrm_test', ...SETTINGS });

async function idTokenFrom(p: TestProvider, clientId: string, secret: string, alg?: string) {
  const rp = await discoverClient(p.baseUrl, { client_id: clientId, client_secret: secret, redirect_uris: [REDIRECT], ...(alg ? { id_token_signed_response_alg: alg } : {}) });
  const login = startLogin(rp);
  const tokens = await rp.callback(REDIRECT, returnedParams(await loginAndReturn(login.url)), login.checks);
  return tokens.id_token!;
}

test('two instances starting together create exactly one key, encrypted at rest, never exposed', async () => {
  const docs = await a.db.signingKeys.find({}).toArray();
  expect(docs).toHaveLength(1);
  expect(docs[0].encrypted).toBe(true);
  expect(docs[0].privateKey.split('.')).toHaveLength(5); // compact JWE
  expect(docs[0].privateKey).not.toMatch(/"d"/);
  const [ja, jb] = await Promise.all([getJson(`${a.baseUrl}/o/.well-known/jwks.json`), getJson(`${b.baseUrl}/.well-known/jwks.json`)]);
  expect(ja.json).toEqual(jb.json);
  expect(ja.json.keys.map((k: { kid: string }) => k.kid)).toEqual([docs[0]._id]);
  const listed = await runJson(['keys', 'list'], { env: cliEnv() });
  expect(listed).toEqual([expect.objectContaining({ kid: docs[0]._id, alg: 'RS256', state: 'signing', encrypted: true })]);
  expect(JSON.stringify(listed)).not.toMatch(/privateKey|"d"/);
});

test('a provider without the encryption key, or with the wrong one, refuses to start with a clear message', async () => {
  const start = async (key: string) => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', MONGO_URL: database.url, MONGO_DB: 'hrm_test', SESSION_SECRET: TEST_SESSION_SECRET, ...SETTINGS, OIDC_KEY_ENCRYPTION_KEY: key });
    const db = await connectDatabase(database.url, config.MONGO_DB);
    try {
      const running = await startProviderServer(config, createLogger('silent'), database.url, db);
      await running.close();
    } finally {
      await db.close();
    }
  };
  await expect(start('')).rejects.toThrow(/encrypted, but OIDC_KEY_ENCRYPTION_KEY is not set/);
  await expect(start('w'.repeat(40))).rejects.toThrow(/cannot be decrypted with the configured OIDC_KEY_ENCRYPTION_KEY/);
  const r = await runCli(['keys', 'list'], { env: { ...cliEnv(), OIDC_KEY_ENCRYPTION_KEY: 'short' } });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/OIDC_KEY_ENCRYPTION_KEY.*at least 32 characters/);
});

test('rotation: the new key is published before it signs; old tokens verify until the old key retires, then they do not', async () => {
  const c = await a.createClient({ name: 'RP', preset: 'oidc-web', redirectUris: [REDIRECT], skipAuthorization: true });
  const jwksA = createRemoteJWKSet(new URL(`${a.baseUrl}/o/.well-known/jwks.json`), { cooldownDuration: 0, cacheMaxAge: 0 });
  const before = await idTokenFrom(a, c.client_id, c.client_secret);
  const oldKid = jwtHeader(before).kid;

  const rotated = await runJson(['keys', 'rotate'], { env: cliEnv() });
  expect(rotated).toMatchObject({ alg: 'RS256', state: 'pending' });
  const newKid = rotated.kid;
  // Published at once on every instance …
  for (const p of [a, b]) expect((await getJson(`${p.baseUrl}/o/.well-known/jwks.json`)).json.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
  // … but not yet signing.
  expect(jwtHeader(await idTokenFrom(b, c.client_id, c.client_secret)).kid).toBe(oldKid);

  await sleep(Math.max(0, new Date(rotated.signs_from).getTime() - Date.now()) + 200);
  const after = await idTokenFrom(b, c.client_id, c.client_secret);
  expect(jwtHeader(after).kid).toBe(newKid);
  // The token signed before the rotation still verifies against the published JWKS.
  const issuedAt = new Date(JSON.parse(Buffer.from(before.split('.')[1], 'base64url').toString()).iat * 1000);
  // (Judged at its issue time: with a 4-second lifetime the token itself may have expired by now.)
  await expect(jwtVerify(before, jwksA, { issuer: a.baseUrl, audience: c.client_id, currentDate: issuedAt })).resolves.toBeDefined();

  // One ID-token lifetime after the new key took over, the old key leaves the JWKS …
  const listed: Array<{ kid: string; published_until: string }> = await runJson(['keys', 'list'], { env: cliEnv() });
  const retiresAt = new Date(listed.find((k) => k.kid === oldKid)!.published_until).getTime();
  await sleep(Math.max(0, retiresAt - Date.now()) + 200);
  expect((await getJson(`${a.baseUrl}/o/.well-known/jwks.json`)).json.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid]);
  // … and a token it signed no longer verifies (expired key), even judged at its own issue time.
  await expect(jwtVerify(before, jwksA, { currentDate: issuedAt })).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
  // openid-client agrees: an ID token hint signed by the retired key is refused at logout.
  const res = await new HttpSession().request(`${a.baseUrl}/o/logout/?id_token_hint=${before}`);
  expect(res.status).toBe(400);
  expect(await res.text()).toMatch(/no longer published/);
  expect((await runJson(['keys', 'list'], { env: cliEnv() })).find((k: { kid: string }) => k.kid === oldKid).state).toBe('retired');
});

test('ES256: the admin page rotates to an EC key at once; openid-client verifies ES256 ID tokens', async () => {
  const admin = await signedInSession(a.baseUrl, ALICE.username, ALICE.password);
  const page = await admin.request(`${a.baseUrl}/admin/keys/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Signing keys');
  const fields = hiddenFields(html, '/admin/keys/rotate');
  const posted = await admin.request(`${a.baseUrl}/admin/keys/rotate`, { form: { ...fields, alg: 'ES256', immediately: 'on' } });
  expect(posted.status).toBe(303);
  // The same form sent twice is applied once.
  const again = await admin.request(`${a.baseUrl}/admin/keys/rotate`, { form: { ...fields, alg: 'ES256', immediately: 'on' } });
  expect(again.status).toBe(409);
  const jwks = (await getJson(`${a.baseUrl}/o/.well-known/jwks.json`)).json.keys;
  expect(jwks[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
  expect(jwks[0]).not.toHaveProperty('d');
  const c = await a.createClient({ name: 'EC RP', preset: 'oidc-web', redirectUris: [REDIRECT], skipAuthorization: true });
  const idToken = await idTokenFrom(a, c.client_id, c.client_secret, 'ES256');
  expect(jwtHeader(idToken)).toMatchObject({ alg: 'ES256', kid: jwks[0].kid });
  const audit = await a.db.audit.find({ action: 'keys.rotate' }).toArray();
  expect(audit.map((x) => x.actor).sort()).toEqual(['alice', 'cli']);
  // A non-admin cannot see or use the page.
  await a.createUser({ username: 'bob', email: 'bob@example.com', name: 'Bob', password: 'bob password 123' });
  const bob = await signedInSession(a.baseUrl, 'bob', 'bob password 123');
  expect((await bob.request(`${a.baseUrl}/admin/keys/`)).status).toBe(403);
});

test('keys rotate refuses an unknown algorithm with one clear line', async () => {
  const r = await runCli(['keys', 'rotate', '--alg', 'HS256'], { env: cliEnv() });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/HS256/);
});
