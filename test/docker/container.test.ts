// The Dockerfile, verified here: a private dockerd (scripts/setup-docker.sh: overlay2 storage, or vfs
// where the kernel cannot mount overlayfs; its own socket; the Debian base assembled with debootstrap
// since Docker Hub is unreachable) builds the
// image; the container runs against a FerretDB on loopback (--network host), answers /readyz,
// runs the CLI, runs as a non-root user with node as PID 1, and exits 0 on SIGTERM.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { freePort } from '../../provider/src/db/embedded-ferretdb';
import { startTestDatabase, type TestDatabase } from '../support/ferretdb';
import { basic, postForm } from '../support/oauth-requests';
import { rawRequest, waitUntil } from '../prod/processes';

const SETUP = path.join(REPO_ROOT, 'scripts', 'setup-docker.sh');
const IMAGE = 'hrm-sso:test';
const NAME = `hrm-sso-test-${crypto.randomBytes(4).toString('hex')}`;

let env: NodeJS.ProcessEnv;
let database: TestDatabase;
let baseUrl: string;
let buildSeconds = 0;

function docker(args: string[], opts: { input?: string; allowFailure?: boolean; timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker', args, { env, encoding: 'utf8', input: opts.input ?? '', timeout: opts.timeoutMs ?? 120000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && !opts.allowFailure) throw new Error(`docker ${args[0]} failed (${r.status}): ${r.stderr}${r.error ?? ''}\n…${(r.stdout ?? '').slice(-3000)}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * This machine reaches the npm registry through a TLS-inspecting proxy whose CA is installed
 * locally (/usr/local/share/ca-certificates); the image build needs it too, exactly as
 * docs/operations.md tells admins behind such a proxy to pass it.
 */
function extraCaBuildArgs(): string[] {
  const dir = '/usr/local/share/ca-certificates';
  const pems = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.crt')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim()) : [];
  return pems.length ? ['--build-arg', `EXTRA_CA_CERT=${pems.join('\n')}`] : [];
}

beforeAll(async () => {
  const started = spawnSync('bash', [SETUP, 'start'], { encoding: 'utf8', timeout: 600000 });
  if (started.status !== 0) throw new Error(`scripts/setup-docker.sh start failed: ${started.stderr}`);
  const host = /^DOCKER_HOST=(.+)$/m.exec(started.stdout)?.[1];
  if (!host) throw new Error(`setup-docker.sh printed no DOCKER_HOST: ${started.stdout}`);
  env = { ...process.env, DOCKER_HOST: host };
  const t0 = Date.now();
  docker(['build', '--network', 'host', ...extraCaBuildArgs(), '-t', IMAGE, REPO_ROOT], { timeoutMs: 900000 });
  buildSeconds = (Date.now() - t0) / 1000;
  database = await startTestDatabase();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  docker([
    'run', '-d', '--name', NAME, '--network', 'host',
    '-e', `MONGO_URL=${database.url}`, '-e', 'MONGO_DB=hrm_docker', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1',
    '-e', `ISSUER=${baseUrl}`, '-e', `SESSION_SECRET=${crypto.randomBytes(32).toString('base64url')}`, '-e', 'PASSWORD_SCRYPT_COST=1024',
    IMAGE,
  ]);
  try {
    await waitUntil(async () => (await rawRequest(`${baseUrl}/readyz`)).status === 200, 60000, 'the container to be ready');
  } catch (err) {
    const logs = docker(['logs', NAME], { allowFailure: true });
    throw new Error(`${(err as Error).message}; container log:\n${logs.stdout}${logs.stderr}`);
  }
}, 900000);

afterAll(async () => {
  if (env) docker(['rm', '-f', NAME], { allowFailure: true });
  await database?.stop();
  spawnSync('bash', [SETUP, 'stop'], { encoding: 'utf8', timeout: 120000 });
  console.log(`docker image build took ${buildSeconds.toFixed(0)} s`);
}, 180000);

test('runs as a non-root user with node as PID 1, and declares a HEALTHCHECK on /readyz that passes', () => {
  expect(docker(['exec', NAME, 'id', '-u']).stdout.trim()).toBe('10001');
  expect(docker(['exec', NAME, 'cat', '/proc/1/cmdline']).stdout.replace(/\0/g, ' ').trim()).toBe('node provider/dist/main.js');
  const health = JSON.parse(docker(['inspect', '--format', '{{json .Config.Healthcheck}}', IMAGE]).stdout);
  expect(health.Test.join(' ')).toContain('/readyz');
  // Run the very command Docker runs for the health check.
  expect(docker(['exec', NAME, ...health.Test.slice(1)], { allowFailure: true }).code).toBe(0);
});

test('the CLI works inside the container and --json is pipe-safe; the provider serves what it created', async () => {
  const user = docker(['exec', '-i', NAME, 'hrm-sso', '--json', 'user', 'create', '--username', 'dora', '--email', 'dora@example.com', '--name', 'Dora Docker', '--password-stdin'], { input: 'dora-password\n' });
  expect(JSON.parse(user.stdout)).toMatchObject({ username: 'dora', active: true });
  expect(user.stderr).toBe('');
  const client = JSON.parse(docker(['exec', NAME, 'hrm-sso', '--json', 'client', 'create', '--name', 'Docker test', '--grants', 'password']).stdout);
  const token = await postForm(`${baseUrl}/o/token/`, { grant_type: 'password', username: 'dora', password: 'dora-password', scope: 'read' }, { authorization: basic(client.client_id, client.client_secret) });
  expect(token.status).toBe(200);
  const db = await connectDatabase(database.url, 'hrm_docker');
  try {
    expect(await db.users.countDocuments({ username: 'dora' })).toBe(1);
  } finally {
    await db.close();
  }
});

test('docker stop (SIGTERM to PID 1) drains and exits 0', () => {
  docker(['stop', '-t', '30', NAME]);
  expect(docker(['inspect', '--format', '{{.State.ExitCode}}', NAME]).stdout.trim()).toBe('0');
  expect(docker(['logs', NAME]).stdout).toMatch(/"event":"shutdown_complete"/);
});

test('a bad configuration stops the container at once with one sentence', () => {
  const r = docker(['run', '--rm', '--network', 'host', '-e', 'ISSUER=http://sso.example.com', '-e', `SESSION_SECRET=${'s'.repeat(40)}`, IMAGE], { allowFailure: true });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/ISSUER is "http:\/\/sso.example.com", but with NODE_ENV=production it must be an https:\/\/ URL/);
  expect(r.stderr).toMatch(/MONGO_URL is not set/);
});
