// Operations surface: /readyz vs /healthz, Prometheus /metrics, request ids in responses and logs,
// secure cookies behind a TLS-terminating proxy, a busy port named with PORT.
import http from 'node:http';
import net from 'node:net';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { runProviderToExit } from '../support/provider-process';
import { HttpSession, hiddenFields } from '../support/http-session';
import { LATEST_MIGRATION } from '../../provider/src/db/migrations';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let p: TestProvider;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider({ env: { METRICS_TOKEN, TOKEN_RATE_LIMIT: '40' } });
  client = await p.createClient({ name: 'Ops', redirectUris: ['https://app.example.com/cb'], grants: ['client_credentials', 'password'] });
  await p.createUser({ username: 'opal', email: 'opal@example.com', name: 'Opal Ops', password: 'opal-password' });
}, 60000);
afterAll(() => p?.stop());

describe('/readyz', () => {
  test('ready once migrations are applied; 503 while draining, when /healthz still answers 200', async () => {
    expect((await getJson(`${p.baseUrl}/readyz`)).json).toEqual({ status: 'ready', database: 'ok', migrations: `${LATEST_MIGRATION} of ${LATEST_MIGRATION} applied` });
    p.running.services.lifecycle.draining = true;
    try {
      const r = await getJson(`${p.baseUrl}/readyz`);
      expect(r.status).toBe(503);
      expect(r.json.status).toBe('draining');
      expect((await getJson(`${p.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      p.running.services.lifecycle.draining = false;
    }
  });

  test('503 when the database lacks a migration this code needs', async () => {
    const last = await p.db.migrations.findOne({ _id: LATEST_MIGRATION });
    await p.db.migrations.deleteOne({ _id: LATEST_MIGRATION });
    try {
      const r = await getJson(`${p.baseUrl}/readyz`);
      expect(r.status).toBe(503);
      expect(r.json.migrations).toBe(`${LATEST_MIGRATION - 1} of ${LATEST_MIGRATION} applied`);
    } finally {
      await p.db.migrations.insertOne(last!);
    }
  });
});

describe('/metrics', () => {
  test('needs METRICS_TOKEN when set', async () => {
    expect((await getJson(`${p.baseUrl}/metrics`)).status).toBe(401);
    expect((await getJson(`${p.baseUrl}/metrics`, { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  test('counts requests per route, tokens per grant, login failures, rate-limit hits and database latency', async () => {
    const auth = { authorization: basic(client.client_id, client.client_secret) };
    const scrape = async () => (await fetch(`${p.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? 0);
    const before = await scrape();

    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials', scope: 'read' }, auth)).status).toBe(200);
    expect((await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'opal', password: 'wrong-password' }, auth)).status).toBe(400);
    await getJson(`${p.baseUrl}/no/such/page/12345`);
    let limited = 0;
    for (let i = 0; i < 45 && !limited; i++) if ((await postForm(`${p.baseUrl}/o/introspect/`, { token: 'x' }, auth)).status === 429) limited++;
    expect(limited).toBe(1);

    const after = await scrape();
    expect(after).toMatch(/^# TYPE hrm_sso_http_requests_total counter$/m);
    const delta = (series: string) => value(after, series) - value(before, series);
    expect(delta('hrm_sso_tokens_issued_total{grant_type="client_credentials"}')).toBe(1);
    expect(delta('hrm_sso_login_failures_total{via="password_grant"}')).toBe(1);
    expect(delta('hrm_sso_rate_limit_hits_total{route="/o/introspect/"}')).toBe(1);
    expect(delta('hrm_sso_http_requests_total{route="/o/token/",method="POST",status="200"}')).toBe(1);
    // Unknown paths share one label: no unbounded label values from the outside.
    expect(delta('hrm_sso_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
    expect(after).not.toContain('12345');
    expect(value(after, 'hrm_sso_http_request_duration_seconds_count{route="/o/token/",method="POST"}')).toBeGreaterThanOrEqual(2);
    expect(value(after, 'hrm_sso_db_command_duration_seconds_count{command="find",outcome="ok"}')).toBeGreaterThan(0);
    expect(after).toMatch(/^hrm_sso_process_cpu_seconds_total /m);
  });
});

describe('request ids', () => {
  test('every response carries X-Request-Id; log lines written while serving it carry the same id', async () => {
    const r = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(client.client_id, client.client_secret) });
    const id = r.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // The /metrics test above spends this IP's token allowance on purpose, so this request may be
    // limited: either way the handler's own log line must carry the response's id.
    expect([200, 429]).toContain(r.status);
    const event = r.status === 200 ? 'token_issued' : 'token_rate_limited';
    expect(p.logs.entries().find((e) => e.event === event && e.requestId === id)).toBeDefined();
  });

  test('a body that arrives in pieces, after the handlers started waiting, still logs under its request id', async () => {
    // The second half comes in a later socket event, outside the request's async context unless
    // the request's events are run in it (kernel/request-context.ts).
    const body = 'grant_type=client_credentials';
    const { status, id } = await new Promise<{ status: number; id: string }>((resolve, reject) => {
      const req = http.request(`${p.baseUrl}/o/token/`, {
        method: 'POST',
        headers: { authorization: basic(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
      }, (res) => { res.resume(); res.on('end', () => resolve({ status: res.statusCode!, id: String(res.headers['x-request-id']) })); });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 100);
    });
    expect([200, 429]).toContain(status);
    const event = status === 200 ? 'token_issued' : 'token_rate_limited';
    expect(p.logs.entries().find((e) => e.event === event && e.requestId === id)).toBeDefined();
  });

  test("a proxy's well-formed id is kept; anything else is replaced", async () => {
    expect((await fetch(`${p.baseUrl}/healthz`, { headers: { 'x-request-id': 'edge-abc.123' } })).headers.get('x-request-id')).toBe('edge-abc.123');
    const injected = await fetch(`${p.baseUrl}/healthz`, { headers: { 'x-request-id': 'evil"} {"level":60' } });
    expect(injected.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.logs.text).not.toContain('evil');
  });
});

describe('behind a TLS-terminating reverse proxy', () => {
  // A session cookie exists only once someone signs in (visitors get none), so sign in through
  // the real form with the proxy's header on every request, and read the cookie the POST sets.
  async function loginCookie(env: Record<string, string>, headers: Record<string, string>) {
    const q = await startTestProvider({ env: { ISSUER: 'https://sso.example.com', ...env } });
    try {
      await q.createUser({ username: 'proxied', email: 'proxied@example.com', name: 'Proxied', password: 'proxied-password' });
      const http = new HttpSession();
      const page = await http.request(`${q.baseUrl}/accounts/login/`, { headers });
      expect(page.status).toBe(200);
      const form = { ...hiddenFields(await page.text(), '/accounts/login/'), username: 'proxied', password: 'proxied-password' };
      const res = await http.request(`${q.baseUrl}/accounts/login/`, { form, headers });
      expect(res.status).toBe(303);
      return res.headers.getSetCookie().find((c) => c.startsWith('hrm_sso_session='));
    } finally {
      await q.stop();
    }
  }

  test('TRUST_PROXY=1 and X-Forwarded-Proto: https give a Secure, HttpOnly session cookie', async () => {
    const cookie = await loginCookie({ TRUST_PROXY: '1' }, { 'x-forwarded-proto': 'https' });
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
  }, 60000);

  test('without TRUST_PROXY the forwarded header is not believed and no Secure cookie is sent over plain http', async () => {
    expect(await loginCookie({}, { 'x-forwarded-proto': 'https' })).toBeUndefined();
  }, 60000);
});

test('a busy port is named, with PORT as the remedy, in one line', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const { code, output } = await runProviderToExit({ PORT: String(port), HOST: '127.0.0.1', MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_busy' });
    expect(code).toBe(1);
    expect(output.trim()).toBe(`Port ${port} on 127.0.0.1 is already in use (another provider running?): stop that process or set PORT to a free port.`);
  } finally {
    blocker.close();
  }
}, 60000);
