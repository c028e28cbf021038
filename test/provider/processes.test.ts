// The provider as real processes: two instances on one database behave as one; the embedded
// database; startup errors; health.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { startProviderProcess, runProviderToExit, type ProviderProcess } from '../support/provider-process';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { loadConfig, REPO_ROOT } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { createServices } from '../../provider/src/domain/services';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';

describe('two provider processes sharing one database', () => {
  let database: TestDatabase;
  let a: ProviderProcess;
  let b: ProviderProcess;
  let client: { client_id: string; client_secret: string };

  beforeAll(async () => {
    database = await startTestDatabase();
    const env = { MONGO_URL: database.url, MONGO_DB: 'hrm_multi', LOGIN_RATE_LIMIT: '4' };
    const config = loadConfig({ ...env, PASSWORD_SCRYPT_COST: '1024' });
    const db = await connectDatabase(database.url, 'hrm_multi');
    const services = createServices(config, db);
    await services.users.create({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
    const created = await services.clients.create({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
    client = { client_id: created.client._id, client_secret: created.clientSecret! };
    await db.close();
    [a, b] = await Promise.all([startProviderProcess(env), startProviderProcess(env)]);
  }, 90000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database.stop();
  });

  test('a code issued by one is redeemable at the other; a revocation at one is seen by the other at once', async () => {
    const back = await authorizeWithForms(`${a.baseUrl}/o/authorize/?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s`, { username: 'alice', password: 'correct horse battery' });
    const code = back.searchParams.get('code')!;
    const t = await postForm(`${b.baseUrl}/o/token/`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(client.client_id, client.client_secret) });
    expect(t.status).toBe(200);
    expect((await getJson(`${a.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.json.access_token}` })).status).toBe(200);
    expect((await postForm(`${a.baseUrl}/o/revoke_token/`, { token: t.json.access_token }, { authorization: basic(client.client_id, client.client_secret) })).status).toBe(200);
    expect((await getJson(`${b.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.json.access_token}` })).status).toBe(401);
  });

  test('a browser session started at one instance is valid at the other', async () => {
    const { HttpSession, hiddenFields } = await import('../support/http-session');
    const http = new HttpSession();
    const page = await http.request(`${a.baseUrl}/accounts/login/`);
    await http.request(`${a.baseUrl}/accounts/login/`, { form: { ...hiddenFields(await page.text(), '/accounts/login/'), username: 'alice', password: 'correct horse battery' } });
    const res = await http.request(`${b.baseUrl}/o/authorize/?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s`);
    // Signed in already (consent was given in the previous test): straight back with a code.
    expect(res.headers.get('location')).toMatch(/^https:\/\/chat\.example\.com\/_oauth\/hrm\?code=/);
  });

  test('login rate-limit counters are shared across instances', async () => {
    const { HttpSession, hiddenFields } = await import('../support/http-session');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const target = i % 2 === 0 ? a : b;
      const http = new HttpSession();
      const page = await http.request(`${target.baseUrl}/accounts/login/`);
      statuses.push((await http.request(`${target.baseUrl}/accounts/login/`, { form: { ...hiddenFields(await page.text(), '/accounts/login/'), username: 'mallory', password: 'guess guess' } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});

describe('startup and health', () => {
  test('with neither MONGO_URL nor FerretDB nor Go to build it, it stops with one sentence naming both remedies', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-nodb-'));
    const pathWithoutGo = (process.env.PATH ?? '').split(':').filter((d) => !fs.existsSync(path.join(d, 'go'))).join(':');
    const { code, output } = await runProviderToExit({ DATA_DIR: dataDir, PORT: '0', SESSION_SECRET: 'x'.repeat(40), PATH: pathWithoutGo });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/MONGO_URL/);
    expect(output).toMatch(/npm run setup:ferretdb/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('invalid configuration is reported in one line', async () => {
    const { code, output } = await runProviderToExit({ PORT: 'eighty', MONGO_URL: 'mongodb://127.0.0.1:1/' });
    expect(code).toBe(2);
    expect(output).toMatch(/PORT/);
  });

  test('production without SESSION_SECRET refuses to start', async () => {
    const { code, output } = await runProviderToExit({ NODE_ENV: 'production', ISSUER: 'https://sso.example.com', MONGO_URL: 'mongodb://127.0.0.1:1/' });
    expect(code).toBe(2);
    expect(output).toMatch(/SESSION_SECRET is required/);
  });

  test('without MONGO_URL it runs the embedded FerretDB in DATA_DIR and stops it on exit', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-embedded-'));
    fs.mkdirSync(path.join(dataDir, 'bin'));
    fs.symlinkSync(process.env.FERRETDB_BIN ?? path.join(REPO_ROOT, '.data', 'bin', 'ferretdb'), path.join(dataDir, 'bin', 'ferretdb'));
    const p = await startProviderProcess({ DATA_DIR: dataDir });
    const portFile = path.join(dataDir, 'db', 'ferretdb.port');
    expect(fs.existsSync(portFile)).toBe(true);
    const health = await getJson(`${p.baseUrl}/healthz`);
    expect(health.json).toEqual({ status: 'ok', database: 'ok' });
    expect(await p.stop()).toBe(0);
    expect(fs.existsSync(portFile)).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60000);

  test('a second provider on the same data folder refuses with one sentence; it starts once the first has stopped or crashed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-embedded-'));
    fs.mkdirSync(path.join(dataDir, 'bin'));
    fs.symlinkSync(process.env.FERRETDB_BIN ?? path.join(REPO_ROOT, '.data', 'bin', 'ferretdb'), path.join(dataDir, 'bin', 'ferretdb'));
    const first = await startProviderProcess({ DATA_DIR: dataDir });
    const second = await runProviderToExit({ DATA_DIR: dataDir, PORT: '0', SESSION_SECRET: 'x'.repeat(40) });
    expect(second.code).toBe(1);
    expect(second.output.trim().split('\n')).toHaveLength(1);
    expect(second.output).toContain(`Another provider owns the data folder ${dataDir} (pid ${first.child.pid}, port ${new URL(first.baseUrl).port})`);
    // The first is untouched by the attempt.
    expect((await getJson(`${first.baseUrl}/readyz`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'provider.lock'))).toBe(false);
    const afterStop = await startProviderProcess({ DATA_DIR: dataDir });
    expect((await getJson(`${afterStop.baseUrl}/readyz`)).status).toBe(200);
    // A crash leaves the lock behind; its pid is gone, so the next start takes it over.
    afterStop.child.kill('SIGKILL');
    await afterStop.stop();
    expect(fs.existsSync(path.join(dataDir, 'provider.lock'))).toBe(true);
    const afterCrash = await startProviderProcess({ DATA_DIR: dataDir });
    expect((await getJson(`${afterCrash.baseUrl}/readyz`)).status).toBe(200);
    expect(await afterCrash.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120000);

  test('/healthz answers 503 when the database stops answering', async () => {
    const database = await startTestDatabase();
    const p = await startProviderProcess({ MONGO_URL: database.url, MONGO_DB: 'hrm_health' });
    expect((await getJson(`${p.baseUrl}/healthz`)).status).toBe(200);
    await database.stop();
    const down = await getJson(`${p.baseUrl}/healthz`);
    expect(down.status).toBe(503);
    expect(down.json).toEqual({ status: 'unavailable', database: 'unreachable' });
    await p.stop();
  }, 60000);
});
