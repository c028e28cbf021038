// Graceful shutdown of the compiled provider: SIGTERM under load answers every request already
// received and loses no refresh; `npm start` is npm → node (→ FerretDB), and neither SIGTERM nor
// SIGKILL of npm leaves an orphan behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { freePort } from '../../provider/src/db/embedded-ferretdb';
import { createServices } from '../../provider/src/domain/services';
import { ensureBuilt } from '../support/build';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { basic, postForm } from '../support/oauth-requests';
import { startProviderProcess } from '../support/provider-process';
import { TEST_SESSION_SECRET } from '../support/provider';
import { alive, commandLine, descendants, rawRequest, waitUntil, type RawOutcome } from './processes';

const FAMILIES = 40;

describe('SIGTERM under load', () => {
  let database: TestDatabase;
  let client: { id: string; secret: string };
  const env = { MONGO_DB: 'hrm_shutdown', TOKEN_RATE_LIMIT: '100000', SHUTDOWN_TIMEOUT_SECONDS: '20' };

  beforeAll(async () => {
    database = await startTestDatabase();
    const db = await connectDatabase(database.url, env.MONGO_DB);
    const services = createServices(loadConfig({ PASSWORD_SCRYPT_COST: '1024' }), db);
    await services.users.create({ username: 'sam', email: 'sam@example.com', name: 'Sam Shutdown', password: 'sam-password' });
    const created = await services.clients.create({ name: 'Load', redirectUris: ['https://app.example.com/cb'], grants: ['password', 'refresh_token'] });
    client = { id: created.client._id, secret: created.clientSecret! };
    await db.close();
  }, 60000);
  afterAll(() => database?.stop());

  test('every request received before the signal gets its full response; no refresh is lost; exit 0', async () => {
    const first = await startProviderProcess({ ...env, MONGO_URL: database.url });
    const auth = { authorization: basic(client.id, client.secret) };
    const refreshTokens: string[] = [];
    for (let i = 0; i < FAMILIES; i++) {
      const t = await postForm(`${first.baseUrl}/o/token/`, { grant_type: 'password', username: 'sam', password: 'sam-password', scope: 'read' }, auth);
      expect(t.status).toBe(200);
      refreshTokens.push(t.json.refresh_token);
    }

    // All refreshes at once, each on its own connection; SIGTERM as soon as the first answer is
    // back, when the server has read every request and most are still being processed.
    let signalled = false;
    const outcomes = await Promise.all(
      refreshTokens.map((rt) =>
        rawRequest(`${first.baseUrl}/o/token/`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt }).toString(),
        }).then((o) => {
          if (!signalled) (signalled = true), first.child.kill('SIGTERM');
          return o;
        }),
      ),
    );
    const code = await first.stop();
    const log = first.output();

    const empty = outcomes.filter((o) => o.error);
    expect(empty).toEqual([]);
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 200));
    expect(code).toBe(0);
    const done = log.split('\n').filter((l) => l.includes('"shutdown_complete"')).map((l) => JSON.parse(l));
    expect(done).toHaveLength(1);
    expect(done[0].inFlightAtSignal).toBeGreaterThan(0); // the drill really had requests in flight
    expect(done[0].forced).toBe(0);
    expect(log).not.toMatch(/MongoClientClosedError|"level":50/);

    // No lost refresh: every family can still be refreshed with the token its client now holds.
    const second = await startProviderProcess({ ...env, MONGO_URL: database.url });
    try {
      const held = outcomes.map((o: RawOutcome, i) => (o.status === 200 ? JSON.parse(o.body!).refresh_token : refreshTokens[i]));
      const again = await Promise.all(held.map((rt) => postForm(`${second.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: rt }, auth)));
      expect(again.map((r) => r.status)).toEqual(held.map(() => 200));
    } finally {
      await second.stop();
    }
  }, 120000);

  test('requests that outlast SHUTDOWN_TIMEOUT_SECONDS are cut and the exit code says so', async () => {
    const p = await startProviderProcess({ ...env, MONGO_URL: database.url, SHUTDOWN_TIMEOUT_SECONDS: '1' });
    // A request whose body never finishes keeps the server busy past the deadline.
    const stuck = rawRequest(`${p.baseUrl}/o/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000' }, body: 'grant_type=' });
    await new Promise((r) => setTimeout(r, 500));
    p.child.kill('SIGTERM');
    expect(await p.stop()).toBe(1);
    expect((await stuck).error).toBeDefined();
    expect(p.output()).toMatch(/"event":"shutdown_forced","requests":1/);
  }, 60000);

  test('a repeated SIGTERM changes nothing; a second SIGINT (Ctrl-C twice) exits at once with 1', async () => {
    const p = await startProviderProcess({ ...env, MONGO_URL: database.url, SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const stuck = rawRequest(`${p.baseUrl}/o/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000' }, body: 'grant_type=' });
    await new Promise((r) => setTimeout(r, 500));
    p.child.kill('SIGTERM');
    // Pending signals of one kind coalesce: send the second once the first is being handled.
    await waitUntil(() => p.output().includes('shutting down'), 10000, 'the first SIGTERM to be handled');
    p.child.kill('SIGTERM');
    await waitUntil(() => p.output().includes('already shutting down'), 10000, 'the repeated SIGTERM to be noted');
    expect(p.child.exitCode).toBeNull(); // still draining: the stuck request holds it
    const started = Date.now();
    p.child.kill('SIGINT');
    expect(await p.stop()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(p.output()).toMatch(/second signal: exiting without waiting/);
    expect((await stuck).error).toBeDefined();
  }, 60000);
});

describe('npm start', () => {
  let dataDir: string;
  beforeAll(() => {
    ensureBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-npm-start-'));
    fs.mkdirSync(path.join(dataDir, 'bin'));
    fs.symlinkSync(process.env.FERRETDB_BIN ?? path.join(REPO_ROOT, '.data', 'bin', 'ferretdb'), path.join(dataDir, 'bin', 'ferretdb'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function npmStart() {
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), SESSION_SECRET: TEST_SESSION_SECRET, PASSWORD_SCRYPT_COST: '1024' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitUntil(async () => (await rawRequest(`http://127.0.0.1:${port}/readyz`)).status === 200, 60000, `npm start to be ready: ${out}`);
    const tree = descendants(child.pid!);
    return { child, exited, tree, output: () => out };
  }

  test('is one node process on the compiled output (plus FerretDB), and SIGTERM to npm stops all of them', async () => {
    const run = await npmStart();
    const commands = run.tree.map(commandLine);
    expect(commands.filter((c) => /node .*provider\/dist\/main\.js$/.test(c))).toHaveLength(1);
    expect(commands.filter((c) => /ferretdb/.test(c))).toHaveLength(1);
    expect(commands.filter((c) => /tsx|esbuild|provider\/src\//.test(c))).toEqual([]);
    run.child.kill('SIGTERM');
    await run.exited;
    await waitUntil(() => run.tree.every((pid) => !alive(pid)), 15000, 'node and FerretDB to exit');
    expect(run.output()).toMatch(/"event":"shutdown_complete"/);
  }, 120000);

  test('SIGKILL to npm: node notices its parent is gone and stops; FerretDB dies with node', async () => {
    const run = await npmStart();
    run.child.kill('SIGKILL');
    await waitUntil(() => run.tree.every((pid) => !alive(pid)), 15000, `orphans ${run.tree.filter(alive).map(commandLine).join(', ')} to exit`);
  }, 120000);
});
