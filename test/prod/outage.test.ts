// Issue 9.D: the embedded FerretDB is supervised. Killed (SIGKILL) under load, it is restarted by
// the provider; during the outage requests get 503, never 500 and never an empty reply; the
// provider is ready again within seconds, and tokens issued before the outage still work.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { createServices } from '../../provider/src/domain/services';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { startProviderProcess, type ProviderProcess } from '../support/provider-process';
import { alive, commandLine, descendants, rawRequest, waitUntil, type RawOutcome } from './processes';

let dataDir: string;
let provider: ProviderProcess;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-outage-'));
  fs.mkdirSync(path.join(dataDir, 'bin'));
  fs.symlinkSync(process.env.FERRETDB_BIN ?? path.join(REPO_ROOT, '.data', 'bin', 'ferretdb'), path.join(dataDir, 'bin', 'ferretdb'));
  provider = await startProviderProcess({ DATA_DIR: dataDir, TOKEN_RATE_LIMIT: '100000' });
}, 60000);
afterAll(async () => {
  await provider?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ferretDb = () => descendants(provider.child.pid!).find((pid) => /ferretdb/.test(commandLine(pid)) && alive(pid));

test('kill -9 of the embedded FerretDB under load: 503 at worst, back by itself, nothing issued before is lost', async () => {
  // Seed through the embedded database the provider publishes (what the CLI does).
  const port = Number(fs.readFileSync(path.join(dataDir, 'db', 'ferretdb.port'), 'utf8'));
  const db = await connectDatabase(`mongodb://127.0.0.1:${port}/`, 'hrm_sso');
  const services = createServices(loadConfig({ PASSWORD_SCRYPT_COST: '1024' }), db);
  await services.users.create({ username: 'olga', email: 'olga@example.com', name: 'Olga Outage', password: 'olga-password' });
  const created = await services.clients.create({ name: 'Outage', redirectUris: ['https://app.example.com/cb'], grants: ['password', 'refresh_token', 'client_credentials'] });
  await db.close();
  const auth = { authorization: basic(created.client._id, created.clientSecret!) };
  const before = await postForm(`${provider.baseUrl}/o/token/`, { grant_type: 'password', username: 'olga', password: 'olga-password', scope: 'read' }, auth);
  expect(before.status).toBe(200);

  // Load: readers (userinfo, introspection) and writers (new tokens) until told to stop.
  const outcomes: RawOutcome[] = [];
  let loading = true;
  const form = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
  const worker = async (i: number) => {
    while (loading) {
      const kind = i % 3;
      const o =
        kind === 0
          ? await rawRequest(`${provider.baseUrl}/api/v2/o/userinfo/`, { headers: { authorization: `Bearer ${before.json.access_token}` } })
          : kind === 1
            ? await rawRequest(`${provider.baseUrl}/o/introspect/`, { method: 'POST', headers: form, body: `token=${before.json.access_token}` })
            : await rawRequest(`${provider.baseUrl}/o/token/`, { method: 'POST', headers: form, body: 'grant_type=client_credentials&scope=read' });
      outcomes.push(o);
    }
  };
  const workers = Array.from({ length: 6 }, (_, i) => worker(i));
  await waitUntil(() => outcomes.length >= 30, 30000, 'load to warm up');

  const victim = ferretDb()!;
  expect(victim).toBeDefined();
  process.kill(victim, 'SIGKILL');
  const killedAt = Date.now();
  await waitUntil(() => !alive(victim), 5000, 'FerretDB to die');
  await waitUntil(() => ferretDb() !== undefined && ferretDb() !== victim, 20000, 'a new FerretDB');
  await waitUntil(async () => (await rawRequest(`${provider.baseUrl}/readyz`)).status === 200, 20000, '/readyz to answer 200 again');
  const recoveredMs = Date.now() - killedAt;
  const atRecovery = outcomes.length;
  await waitUntil(() => outcomes.length >= atRecovery + 30, 30000, 'load after recovery');
  loading = false;
  await Promise.all(workers);

  const statuses = outcomes.map((o) => o.status ?? `no response (${o.error})`);
  const counts = statuses.reduce<Record<string, number>>((m, s) => ((m[String(s)] = (m[String(s)] ?? 0) + 1), m), {});
  console.log(`outage drill: recovered in ${recoveredMs} ms; outcomes ${JSON.stringify(counts)}`);
  const bad = outcomes.filter((o) => o.status !== 200 && o.status !== 503);
  if (bad.length) console.log(JSON.stringify(bad), provider.output().split("\n").filter((l) => /"level":(50|40)/.test(l)).join("\n"));
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(recoveredMs).toBeLessThan(20000);
  // After recovery every request succeeds again.
  expect(outcomes.slice(atRecovery).every((o) => o.status === 200)).toBe(true);

  // Nothing issued before the outage is lost: the access token reads the profile, the refresh token refreshes.
  expect((await getJson(`${provider.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${before.json.access_token}` })).json).toMatchObject({ username: 'olga' });
  expect((await postForm(`${provider.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: before.json.refresh_token }, auth)).status).toBe(200);
  expect(provider.output()).toMatch(/"event":"embedded_database_restarted"/);
  expect(provider.output()).not.toMatch(/"statusCode":500/);
}, 120000);
