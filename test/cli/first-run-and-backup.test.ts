// A fresh install as an administrator meets it: --help/--version print and exit, the first start
// names the next step (create the first administrator) on the terminal and on the home page, logs
// are readable on a terminal; and the whole database goes to a backup file and back.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { expectOneLineError, runCli, runJson } from './run-cli';
import { PROVIDER_MAIN, ensureBuilt } from '../support/build';
import { startProviderProcess } from '../support/provider-process';
import { waitUntil } from '../prod/processes';

const PASSWORD = 'correct horse battery staple';
let cli: CliDatabase;
let tmp: string;

beforeAll(async () => {
  cli = await openCliDatabase('hrm_first_run');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-backup-'));
  ensureBuilt();
});

afterAll(async () => {
  await cli?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'provider', 'package.json'), 'utf8')).version as string;

describe('--help and --version print and exit', () => {
  test('hrm-sso --version', async () => {
    const r = await runCli(['--version'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  test('main.js --help and --version never start the server; an unknown argument is one sentence', () => {
    const help = spawnSync(process.execPath, [PROVIDER_MAIN, '--help'], { encoding: 'utf8', timeout: 10000, env: { PATH: process.env.PATH } });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: node provider\/dist\/main\.js/);
    expect(help.stdout).toContain('npx hrm-sso --help');
    const v = spawnSync(process.execPath, [PROVIDER_MAIN, '--version'], { encoding: 'utf8', timeout: 10000, env: { PATH: process.env.PATH } });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const bad = spawnSync(process.execPath, [PROVIDER_MAIN, '--port=9'], { encoding: 'utf8', timeout: 10000, env: { PATH: process.env.PATH } });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('Unknown argument "--port=9": the provider takes no arguments (settings are environment variables); try --help.');
  });
});

describe('first run', () => {
  test('the first start names the next step; the home page shows it until an administrator exists', async () => {
    const p = await startProviderProcess({ ...cli.env, MONGO_DB: 'hrm_first_run_fresh', LOG_FORMAT: 'json' });
    try {
      // The hint follows the "listening" line once the accounts have been counted.
      const logged = () => p.output().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event?: string; msg: string });
      await waitUntil(() => logged().some((l) => l.event === 'first_run'), 5000, 'the first_run log line');
      const hint = logged().find((l) => l.event === 'first_run')!;
      expect(hint.msg).toContain('no administrator exists yet');
      expect(hint.msg).toContain('npx hrm-sso user create --username admin --email admin@example.com --name "Administrator" --admin');
      const before = await (await fetch(`${p.baseUrl}/`)).text();
      expect(before).toContain('First run: create the first administrator');
      expect(before).toContain('npx hrm-sso user create --username admin');
      const created = await runCli(['user', 'create', '--username', 'boss', '--email', 'boss@example.com', '--name', 'Boss', '--admin', '--password-stdin'], {
        env: { ...cli.env, MONGO_DB: 'hrm_first_run_fresh' },
        input: `${PASSWORD}\n`,
      });
      expect(created.code).toBe(0);
      const after = await (await fetch(`${p.baseUrl}/`)).text();
      expect(after).not.toContain('First run');
      expect(after).toContain('Sign in');
    } finally {
      await p.stop();
    }
  });

  test('LOG_FORMAT=pretty writes readable lines, not JSON', async () => {
    const p = await startProviderProcess({ ...cli.env, MONGO_DB: 'hrm_first_run_pretty', LOG_FORMAT: 'pretty' });
    try {
      const listening = p.output().split('\n').find((l) => l.includes('HRM provider listening on'));
      expect(listening).toBeDefined();
      expect(() => JSON.parse(listening!)).toThrow();
      expect(listening).toMatch(/INFO/);
    } finally {
      await p.stop();
    }
  });
});

describe('backup and restore', () => {
  const env = () => cli.env;
  const other = (name: string) => ({ ...cli.env, MONGO_DB: name });
  let file: string;

  beforeAll(async () => {
    await runJson(['user', 'create', '--username', 'alice', '--email', 'alice@example.com', '--name', 'Alice', '--password-stdin'], { env: env(), input: `${PASSWORD}\n` });
    await runJson(['client', 'create', '--name', 'Chat', '--redirect-uri', 'https://chat.example.com/_oauth/hrm'], { env: env() });
    file = path.join(tmp, 'provider.backup');
    const made = await runJson(['backup', file], { env: env() });
    expect(made.file).toBe(file);
    expect(made.collections.users).toBe(1);
    expect(made.collections.clients).toBe(1);
  });

  test('a backup restored into an empty database gives the same users and clients, with the same password hash and typed dates', async () => {
    const restored = await runJson(['restore', file], { env: other('hrm_restored') });
    expect(restored.restored.users).toBe(1);
    const users = await runJson(['user', 'list'], { env: other('hrm_restored') });
    expect(users.map((u: { username: string }) => u.username)).toEqual(['alice']);
    const clients = await runJson(['client', 'list'], { env: other('hrm_restored') });
    expect(clients.map((c: { name: string }) => c.name)).toEqual(['Chat']);
    const original = await runJson(['user', 'list'], { env: env() });
    expect(users[0].id).toBe(original[0].id);
    // The same password hash and dates (Extended JSON keeps types): the same password signs in.
    const before = await cli.db.users.findOne({ username: 'alice' });
    const after = await cli.db.client.db('hrm_restored').collection('users').findOne({ username: 'alice' });
    expect(after?.passwordHash).toBe(before?.passwordHash);
    expect(after?.createdAt).toBeInstanceOf(Date);
    expect(after?.createdAt.getTime()).toBe(before?.createdAt.getTime());
  });

  test('restoring over a database that holds data is refused and changes nothing', async () => {
    const r = await runCli(['restore', file], { env: env() });
    expectOneLineError(r, /already holds users, clients or tokens: restore into a fresh DATA_DIR/);
    const users = await runJson(['user', 'list'], { env: env() });
    expect(users).toHaveLength(1);
  });

  test('files that are not backups are refused before the database is touched', async () => {
    const text = path.join(tmp, 'notes.txt');
    fs.writeFileSync(text, 'hello\n');
    expectOneLineError(await runCli(['restore', text], { env: other('hrm_bad_1') }), /is not an hrm-sso backup \(not gzip data\); nothing was changed/);
    const json = path.join(tmp, 'other.gz');
    fs.writeFileSync(json, zlib.gzipSync('{"c":"users","d":{"_id":"x"}}\n'));
    expectOneLineError(await runCli(['restore', json], { env: other('hrm_bad_2') }), /closing header is missing/);
    // A backup cut short loses its closing header.
    const whole = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
    const cut = path.join(tmp, 'cut.backup');
    fs.writeFileSync(cut, zlib.gzipSync(whole.slice(0, -1).join('\n') + '\n'));
    expectOneLineError(await runCli(['restore', cut], { env: other('hrm_bad_3') }), /closing header is missing/);
    expectOneLineError(await runCli(['restore', path.join(tmp, 'missing.backup')], { env: other('hrm_bad_4') }), /does not exist/);
    for (const name of ['hrm_bad_1', 'hrm_bad_2', 'hrm_bad_3', 'hrm_bad_4']) {
      expect(await runJson(['user', 'list'], { env: other(name) })).toEqual([]);
    }
  });

  test('restore refuses while a provider owns the embedded data folder', async () => {
    const dataDir = path.join(tmp, 'data');
    fs.mkdirSync(dataDir);
    // This test process stands in for the running provider: a live pid in the lock.
    fs.writeFileSync(path.join(dataDir, 'provider.lock'), JSON.stringify({ pid: process.pid, port: 8123, startedAt: new Date().toISOString() }));
    const r = await runCli(['restore', file], { env: { DATA_DIR: dataDir } });
    expectOneLineError(r, new RegExp(`A provider is running on ${dataDir} \\(pid ${process.pid}, port 8123\\): stop it before restoring`));
  });
});
