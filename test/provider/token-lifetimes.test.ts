// Issue 9.0: a link that lasts. Per-client lifetimes (the rocketchat-app preset: 1 h access,
// 90-day idle refresh, 1-year cap), time moved with an injected clock, concurrent refreshes that
// never revoke, and a stolen refresh token replayed after the grace window that still does.
import { ManualClock } from '../../provider/src/kernel/clock';
import { digest } from '../../provider/src/kernel/security/tokens';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';

const DAY = 24 * 3600;
const APP_REDIRECT = 'https://chat.example.com/api/apps/public/app-id/hrm-callback';
const clock = new ManualClock();
let p: TestProvider;
let app: { client_id: string; client_secret: string };
let generic: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider({ clock, env: { TOKEN_RATE_LIMIT: '100000' } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  app = await p.createClient({ name: 'HRM SSO app', redirectUris: [APP_REDIRECT], preset: 'rocketchat-app' });
  generic = await p.createClient({ name: 'Generic', redirectUris: [APP_REDIRECT], preset: 'generic' });
});
afterAll(() => p.stop());

const token = (client: typeof app, form: Record<string, string>) => postForm(`${p.baseUrl}/o/token/`, form, { authorization: basic(client.client_id, client.client_secret) });
const refresh = (client: typeof app, rt: string) => token(client, { grant_type: 'refresh_token', refresh_token: rt });
const userinfo = (at: string) => getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${at}` });

async function link(client: typeof app) {
  const { code } = await obtainCode(p.baseUrl, { client_id: client.client_id, redirect_uri: APP_REDIRECT, state: 's', scope: 'read write' });
  const res = await token(client, { grant_type: 'authorization_code', code, redirect_uri: APP_REDIRECT });
  expect(res.status).toBe(200);
  return res.json as { access_token: string; refresh_token: string; expires_in: number };
}

test('the rocketchat-app preset: 1 h access token, 90-day idle refresh token, 1-year grant cap', async () => {
  const t = await link(app);
  expect(t.expires_in).toBeGreaterThanOrEqual(3599); // whole seconds left, rounded down
  expect(t.expires_in).toBeLessThanOrEqual(3600);
  const rt = await p.db.refreshTokens.findOne({ _id: digest(t.refresh_token) });
  const now = clock.now().getTime();
  expect(Math.abs(rt!.expiresAt.getTime() - (now + 90 * DAY * 1000))).toBeLessThan(60_000);
  expect(Math.abs(rt!.grantExpiresAt!.getTime() - (now + 365 * DAY * 1000))).toBeLessThan(60_000);
});

test('a link idle for 30 days still refreshes (app preset); a generic client\'s 1-day token does not', async () => {
  const a = await link(app);
  const g = await link(generic);
  clock.advance(30 * DAY);
  expect((await userinfo(a.access_token)).status).toBe(401); // the 1-hour access token is long gone
  const renewed = await refresh(app, a.refresh_token);
  expect(renewed.status).toBe(200);
  const me = await userinfo(renewed.json.access_token);
  expect(me.status).toBe(200);
  expect(me.json.username).toBe('alice');
  const expired = await refresh(generic, g.refresh_token);
  expect(expired.json).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/expired/) });
});

test('each refresh starts a new idle period, but never past the absolute lifetime', async () => {
  const short = await p.createClient({ name: 'Short', redirectUris: [APP_REDIRECT], refreshIdleTimeout: 100, refreshAbsoluteLifetime: 250, accessTokenLifetime: 60 });
  let t = await link(short);
  expect([59, 60]).toContain(t.expires_in);
  for (let i = 0; i < 2; i++) {
    clock.advance(90);
    const r = await refresh(short, t.refresh_token);
    expect(r.status).toBe(200);
    t = r.json;
  }
  // 180 s into the grant: the new token's 100 s idle window is cut at the 250 s cap.
  const doc = await p.db.refreshTokens.findOne({ _id: digest(t.refresh_token) });
  expect(doc!.expiresAt.getTime()).toBe(doc!.grantExpiresAt!.getTime());
  clock.advance(75);
  expect((await refresh(short, t.refresh_token)).json.error).toBe('invalid_grant');
});

test('50 concurrent refreshes of one token: all answer with one working pair, no reuse alarm, the grant lives on', async () => {
  const t = await link(app);
  const before = p.logs.entries().filter((e) => e.event === 'refresh_token_reuse').length;
  const results = await Promise.all(Array.from({ length: 50 }, () => refresh(app, t.refresh_token)));
  expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
  expect(new Set(results.map((r) => r.json.refresh_token)).size).toBe(1);
  for (const r of results.slice(0, 5)) expect((await userinfo(r.json.access_token)).status).toBe(200);
  expect(p.logs.entries().filter((e) => e.event === 'refresh_token_reuse').length).toBe(before);
  expect((await refresh(app, results[0].json.refresh_token)).status).toBe(200);
});

test('a retry within the grace window gets the same pair; the sealed copy opens only with the old token', async () => {
  const t = await link(app);
  const first = await refresh(app, t.refresh_token);
  clock.advance(p.config.REFRESH_TOKEN_GRACE_SECONDS - 5);
  const retry = await refresh(app, t.refresh_token);
  expect(retry.json.refresh_token).toBe(first.json.refresh_token);
  expect(retry.json.access_token).toBe(first.json.access_token);
  const successor = await p.db.refreshTokens.findOne({ parentId: digest(t.refresh_token) });
  // Stored sealed: neither new token appears in the document.
  expect(JSON.stringify(successor)).not.toContain(first.json.access_token);
  expect(JSON.stringify(successor)).not.toContain(first.json.refresh_token);
});

test('a stolen refresh token replayed after the grace window revokes the whole grant', async () => {
  const t = await link(app);
  const next = (await refresh(app, t.refresh_token)).json;
  clock.advance(p.config.REFRESH_TOKEN_GRACE_SECONDS + 1);
  const replay = await refresh(app, t.refresh_token);
  expect(replay.json.error).toBe('invalid_grant');
  expect((await userinfo(next.access_token)).status).toBe(401);
  expect((await refresh(app, next.refresh_token)).json.error).toBe('invalid_grant');
  expect(p.logs.entries().some((e) => e.event === 'refresh_token_reuse' && e.clientId === app.client_id)).toBe(true);
});

test('bad lifetimes are refused with a message', async () => {
  await expect(p.createClient({ name: 'Bad', redirectUris: [APP_REDIRECT], accessTokenLifetime: 5 })).rejects.toThrow(/access token lifetime must be at least 60 seconds/);
  await expect(p.createClient({ name: 'Bad', redirectUris: [APP_REDIRECT], refreshIdleTimeout: 1.5 })).rejects.toThrow(/whole number/);
});
