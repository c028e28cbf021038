// `user edit|reactivate`, `client edit`, duplicate client names, `migrate`, and the binary itself
// (`npx hrm-sso`), against a real FerretDB through the compiled CLI.
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import type { Database } from '../../provider/src/db/connect';
import type { Services } from '../../provider/src/domain/services';
import { LATEST_MIGRATION } from '../../provider/src/db/migrations';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { cliEnv, expectOneLineError, runCli, runJson } from './run-cli';

let cli: CliDatabase;
let db: Database;
let services: Services;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await openCliDatabase('cli_edit');
  ({ db, services, env } = cli);
  await runJson(['user', 'create', '--username', 'erin', '--email', 'erin@example.com', '--name', 'Erin Edit', '--password-stdin'], { env, input: 'erin-password\n' });
});
afterAll(() => cli?.close());

describe('user edit', () => {
  it('changes only the given fields, including admin on and off', async () => {
    const out = await runJson(['user', 'edit', 'ERIN', '--department', 'Finance', '--job-title', 'Controller', '--admin'], { env });
    expect(out).toMatchObject({ username: 'erin', department: 'Finance', job_title: 'Controller', admin: true, name: 'Erin Edit', email: 'erin@example.com' });
    const human = await runCli(['user', 'edit', 'erin', '--no-admin', '--email', 'Erin.New@Example.com'], { env });
    expect(human.stdout).toBe('Updated erin: admin, email.\n');
    expect(await db.users.findOne({ username: 'erin' })).toMatchObject({ admin: false, email: 'erin.new@example.com', department: 'Finance' });
  });

  it('refuses no changes, a bad email and an unknown user, changing nothing', async () => {
    expectOneLineError(await runCli(['user', 'edit', 'erin'], { env }), /Nothing to change/);
    expectOneLineError(await runCli(['user', 'edit', 'erin', '--email', 'not-an-email'], { env }), /email must be a valid address/);
    expectOneLineError(await runCli(['user', 'edit', 'ghost', '--name', 'G'], { env }), /No user named "ghost"/);
    expect((await db.users.findOne({ username: 'erin' }))!.email).toBe('erin.new@example.com');
  });
});

describe('user reactivate', () => {
  it('lets a deactivated user sign in again; on an active user it says so', async () => {
    await runJson(['user', 'deactivate', 'erin'], { env });
    expect(await services.users.authenticate('erin', 'erin-password')).toBeNull();
    const out = await runJson(['user', 'reactivate', 'erin'], { env });
    expect(out).toMatchObject({ username: 'erin', active: true });
    expect(await services.users.authenticate('erin', 'erin-password')).not.toBeNull();
    expect((await runCli(['user', 'reactivate', 'erin'], { env })).stdout).toBe('erin is already active.\n');
    expect((await db.audit.find({ action: 'user.reactivate' }).toArray())).toHaveLength(1);
  });
});

describe('client edit and names', () => {
  let id: string;
  beforeAll(async () => {
    id = (await runJson(['client', 'create', '--name', 'Chat', '--redirect-uri', 'https://chat.example.com/_oauth/hrm'], { env })).client_id;
  });

  it('refuses a second client with the same name (any case), creating nothing', async () => {
    const r = await runCli(['client', 'create', '--name', ' chat ', '--redirect-uri', 'https://other.example.com/cb'], { env });
    expectOneLineError(r, new RegExp(`A client named "Chat" already exists \\(client_id ${id}\\)`));
    expect(await db.clients.countDocuments({})).toBe(1);
  });

  it('edits name, redirect URIs, grants and flags; the secret keeps working', async () => {
    const before = (await db.clients.findOne({ _id: id }))!;
    const out = await runJson(
      ['client', 'edit', id, '--name', 'Chat (prod)', '--add-redirect-uri', 'https://chat2.example.com/_oauth/hrm', '--grants', 'authorization_code,refresh_token,client_credentials', '--require-pkce', '--skip-authorization'],
      { env },
    );
    expect(out).toMatchObject({
      client_id: id,
      name: 'Chat (prod)',
      redirect_uris: ['https://chat.example.com/_oauth/hrm', 'https://chat2.example.com/_oauth/hrm'],
      grants: ['authorization_code', 'refresh_token', 'client_credentials'],
      require_pkce: true,
      skip_authorization: true,
    });
    const after = (await db.clients.findOne({ _id: id }))!;
    expect(after.secretDigest).toBe(before.secretDigest);
    const human = await runCli(['client', 'edit', id, '--remove-redirect-uri', 'https://chat.example.com/_oauth/hrm', '--no-require-pkce'], { env });
    expect(human.stdout).toBe(`Updated client "Chat (prod)" (${id}): redirect_uris, require_pkce.\n`);
    expect((await db.clients.findOne({ _id: id }))!.redirectUris).toEqual(['https://chat2.example.com/_oauth/hrm']);
  });

  it('refuses bad edits in one line and leaves the client as it was', async () => {
    const other = (await runJson(['client', 'create', '--name', 'Other', '--redirect-uri', 'https://o.example.com/cb'], { env })).client_id;
    const snapshot = await db.clients.findOne({ _id: id });
    expectOneLineError(await runCli(['client', 'edit', other, '--name', 'CHAT (PROD)'], { env }), /A client named "Chat \(prod\)" already exists/);
    expectOneLineError(await runCli(['client', 'edit', id, '--grants', 'implicit'], { env }), /grants must be among/);
    expectOneLineError(await runCli(['client', 'edit', id, '--redirect-uri', 'not a url'], { env }), /not an absolute URL/);
    expectOneLineError(await runCli(['client', 'edit', id, '--remove-redirect-uri', 'https://chat2.example.com/_oauth/hrm'], { env }), /needs at least one redirect URI/);
    expectOneLineError(await runCli(['client', 'edit', id, '--remove-redirect-uri', 'https://nope.example.com/'], { env }), /has no redirect URI "https:\/\/nope.example.com\/"/);
    expectOneLineError(await runCli(['client', 'edit', id, '--redirect-uri', 'https://a.example.com/', '--add-redirect-uri', 'https://b.example.com/'], { env }), /replaces the whole list/);
    expectOneLineError(await runCli(['client', 'edit', id], { env }), /Nothing to change/);
    expectOneLineError(await runCli(['client', 'edit', 'no-such-client', '--name', 'X'], { env }), /No client with id "no-such-client"/);
    expect(await db.clients.findOne({ _id: id })).toEqual(snapshot);
  });
});

describe('migrate', () => {
  it('reports the database up to date (the connection applied every step) as one JSON document', async () => {
    const r = await runCli(['--json', 'migrate'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ applied: [], level: LATEST_MIGRATION, latest: LATEST_MIGRATION });
    expect(await db.migrations.countDocuments({})).toBe(LATEST_MIGRATION);
  });

  it('applies a step that is missing and records it again', async () => {
    await db.migrations.deleteOne({ _id: LATEST_MIGRATION });
    const out = await runJson(['migrate'], { env });
    expect(out).toEqual({ applied: [LATEST_MIGRATION], level: LATEST_MIGRATION, latest: LATEST_MIGRATION });
    expect(await db.migrations.findOne({ _id: LATEST_MIGRATION })).toMatchObject({ name: expect.any(String), appliedAt: expect.any(Date) });
  });
});

describe('the hrm-sso binary', () => {
  it('`npx hrm-sso --json …` prints exactly one JSON document and nothing else, from any directory of the repository', async () => {
    for (const cwd of [REPO_ROOT, `${REPO_ROOT}/docs`]) {
      const r = spawnSync('npx', ['--no-install', 'hrm-sso', '--json', 'client', 'list'], { cwd, env: cliEnv(env), encoding: 'utf8', input: '' });
      expect(r.status).toBe(0);
      expect(r.stderr.replace(/npm warn.*\n/gi, '')).toBe('');
      const parsed = JSON.parse(r.stdout);
      expect(parsed.map((c: { name: string }) => c.name)).toEqual(['Chat (prod)', 'Other']);
    }
  });

  it('--help lists every command', async () => {
    const r = await runCli(['--help'], { env });
    expect(r.code).toBe(0);
    for (const cmd of ['user', 'client', 'tokens', 'migrate']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    const user = await runCli(['user', '--help'], { env });
    for (const cmd of ['create', 'list', 'edit', 'set-password', 'deactivate', 'reactivate']) expect(user.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    expect(user.stdout).not.toMatch(/--password </);
  });
});

describe('client edit: consent-page logo and home page', () => {
  it('sets both, clears one with "", and refuses a non-https logo or a broken URL changing nothing', async () => {
    const id = (await runJson(['client', 'create', '--name', 'Looks', '--redirect-uri', 'https://looks.example.com/cb'], { env })).client_id;
    expect(await runJson(['client', 'edit', id, '--logo-uri', 'https://looks.example.com/logo.png', '--home-page', 'https://looks.example.com/'], { env })).toMatchObject({
      logo_uri: 'https://looks.example.com/logo.png',
      home_page_uri: 'https://looks.example.com/',
    });
    expect(await db.clients.findOne({ _id: id })).toMatchObject({ logoUri: 'https://looks.example.com/logo.png', homePageUri: 'https://looks.example.com/' });
    const cleared = await runCli(['client', 'edit', id, '--logo-uri', ''], { env });
    expect(cleared.stdout).toBe(`Updated client "Looks" (${id}): logo_uri.\n`);
    expect((await db.clients.findOne({ _id: id }))!.logoUri).toBe('');

    const snapshot = await db.clients.findOne({ _id: id });
    expectOneLineError(await runCli(['client', 'edit', id, '--logo-uri', 'http://looks.example.com/logo.png', '--name', 'Renamed'], { env }), /The logo URL must start with https:\/\//);
    expectOneLineError(await runCli(['client', 'edit', id, '--home-page', 'javascript:alert(1)'], { env }), /The home page must be an http\(s\) URL\./);
    expectOneLineError(await runCli(['client', 'edit', id, '--logo-uri', 'not a url'], { env }), /"not a url" is not a complete URL/);
    expect(await db.clients.findOne({ _id: id })).toEqual(snapshot);
    expect(await db.audit.countDocuments({ action: 'client.edit', target: id })).toBe(2);
  });
});
