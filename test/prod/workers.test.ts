// WORKERS=2: the compiled provider as a primary and two HTTP workers on one port and one database.
// Seen from outside: both workers answer (the access log names the worker), a token revoked
// through the port is refused by every later request whichever worker takes it, /metrics counts
// the whole cluster, a worker that dies is replaced, and SIGTERM stops everything with exit 0.
import { loadConfig } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { createServices } from '../../provider/src/domain/services';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { basic, postForm } from '../support/oauth-requests';
import { runProviderToExit, startProviderProcess, type ProviderProcess } from '../support/provider-process';
import { TEST_SESSION_SECRET } from '../support/provider';
import { alive, commandLine, descendants, rawRequest, waitUntil } from './processes';

const REQUESTS = 12;

describe('WORKERS=2', () => {
  let database: TestDatabase;
  let client: { id: string; secret: string };
  let p: ProviderProcess;
  const env = { MONGO_DB: 'hrm_workers', WORKERS: '2', TOKEN_RATE_LIMIT: '100000' };

  beforeAll(async () => {
    database = await startTestDatabase();
    const db = await connectDatabase(database.url, env.MONGO_DB);
    const services = createServices(loadConfig({ PASSWORD_SCRYPT_COST: '1024' }), db);
    await services.users.create({ username: 'wanda', email: 'wanda@example.com', name: 'Wanda Worker', password: 'wanda-password' });
    const created = await services.clients.create({ name: 'Workers', redirectUris: ['https://app.example.com/cb'], grants: ['password', 'refresh_token'] });
    client = { id: created.client._id, secret: created.clientSecret! };
    await db.close();
    p = await startProviderProcess({ ...env, MONGO_URL: database.url });
    // /healthz answers once the first worker listens; the primary says when all do.
    await waitUntil(() => p.output().includes('2 worker processes'), 20000, 'every worker to listen');
  }, 60000);
  afterAll(async () => {
    if (p?.child.exitCode === null) p.child.kill('SIGKILL');
    await database?.stop();
  });

  const workerPids = () => descendants(p.child.pid!).filter((pid) => commandLine(pid).includes('main.js'));
  /** Access-log lines (http/middleware/access-log.ts) for one path, with the worker that wrote them. */
  const accessLines = (path: string, status: number) =>
    p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{') && l.includes('"res"'))
      .map((l) => JSON.parse(l) as { worker?: number; req?: { path?: string }; res?: { statusCode?: number } })
      .filter((l) => l.req?.path === path && l.res?.statusCode === status);
  /** Fresh connections: the primary hands each to the next worker in turn. */
  const userinfoMany = (token: string) => Promise.all(Array.from({ length: REQUESTS }, () => rawRequest(`${p.baseUrl}/api/v2/o/userinfo/`, { headers: { authorization: `Bearer ${token}` } })));

  test('two worker processes serve the one port', async () => {
    await waitUntil(() => workerPids().length === 2, 20000, 'two workers');
    expect(p.output()).toMatch(/2 worker processes/);
  });

  test('a second cluster on the same port fails to start: exit 1 and one clear message', async () => {
    const r = await runProviderToExit({ ...env, MONGO_URL: database.url, NODE_ENV: 'test', PORT: new URL(p.baseUrl).port, SESSION_SECRET: TEST_SESSION_SECRET });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/A worker failed to start: Port \d+ on 127\.0\.0\.1 is already in use/);
    expect(r.output.match(/already in use/g)).toHaveLength(1);
  });

  test('a token revoked through one worker is refused by the next requests on every worker', async () => {
    const auth = { authorization: basic(client.id, client.secret) };
    const t = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'password', username: 'wanda', password: 'wanda-password', scope: 'read' }, auth);
    expect(t.status).toBe(200);
    const token = t.json.access_token as string;

    const before = await userinfoMany(token);
    expect(before.map((r) => r.status)).toEqual(before.map(() => 200));
    // Both workers answered (and each has now cached the profile).
    await waitUntil(() => new Set(accessLines('/api/v2/o/userinfo/', 200).map((l) => l.worker)).size === 2, 10000, 'access-log lines from both workers');

    const revoked = await postForm(`${p.baseUrl}/o/revoke_token/`, { token }, auth);
    expect(revoked.status).toBe(200);
    const after = await userinfoMany(token);
    expect(after.map((r) => r.status)).toEqual(after.map(() => 401));
    await waitUntil(() => new Set(accessLines('/api/v2/o/userinfo/', 401).map((l) => l.worker)).size === 2, 10000, 'refusals from both workers');

    // /metrics answers for the cluster: the 200s of both workers, whichever worker is scraped.
    const scrapes = await Promise.all([0, 1, 2, 3].map(() => rawRequest(`${p.baseUrl}/metrics`)));
    for (const s of scrapes) {
      expect(s.status).toBe(200);
      const line = s.body!.split('\n').find((l) => l.startsWith('hrm_sso_http_requests_total{') && l.includes('route="/api/v2/o/userinfo/"') && l.includes('status="200"'));
      expect(Number(line?.split(' ').pop())).toBe(REQUESTS);
    }
  });

  test('a worker that dies is replaced; the port keeps answering', async () => {
    const [victim, survivor] = workerPids();
    process.kill(victim, 'SIGKILL');
    await waitUntil(() => !alive(victim), 10000, 'the killed worker to go');
    await waitUntil(() => workerPids().length === 2 && !workerPids().includes(victim), 20000, 'a replacement worker');
    expect(workerPids()).toContain(survivor);
    expect(p.output()).toMatch(/"event":"worker_exited"/);
    await waitUntil(() => p.output().includes('"worker_restarted"'), 20000, 'the replacement to listen');
    const health = await Promise.all([0, 1, 2, 3].map(() => rawRequest(`${p.baseUrl}/healthz`)));
    expect(health.map((h) => h.status)).toEqual([200, 200, 200, 200]);
  }, 40000);

  test('SIGTERM: every worker drains, the primary exits 0, no process is left', async () => {
    const tree = descendants(p.child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(2);
    const code = await p.stop();
    expect(code).toBe(0);
    await waitUntil(() => tree.every((pid) => !alive(pid)), 10000, 'the workers to exit');
    const out = p.output();
    expect(out.match(/"event":"worker_stopped"/g)).toHaveLength(2);
    const done = out.split('\n').filter((l) => l.includes('"shutdown_complete"')).map((l) => JSON.parse(l));
    expect(done).toHaveLength(1);
    expect(done[0].forced).toBe(0);
    // The only error logged is the deliberate kill of the test above.
    expect(out.split('\n').filter((l) => l.includes('"level":50') && !l.includes('"worker_exited"'))).toEqual([]);
  }, 60000);
});
