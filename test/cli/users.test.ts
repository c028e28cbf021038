// `user create|list|set-password|deactivate` against a real FerretDB, through the real CLI.
import type { Database } from '../../provider/src/db/connect';
import type { Services } from '../../provider/src/domain/services';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { cliEnv, expectOneLineError, runCli, runJson } from './run-cli';

let cli: CliDatabase;
let db: Database;
let services: Services;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await openCliDatabase('cli_users');
  ({ db, services, env } = cli);
});
afterAll(() => cli?.close());

describe('user create', () => {
  it('creates a user from flags and says so in one human line', async () => {
    const r = await runCli(
      ['user', 'create', '--username', 'Alice', '--email', 'Alice@Example.com', '--name', 'Alice Smith', '--password-stdin', '--department', 'HR', '--job-title', 'Recruiter', '--admin'],
      { env, input: 'correct-horse\n' },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created user alice \(id [0-9a-f-]{36}, admin\)\.\n$/);
    const stored = await db.users.findOne({ username: 'alice' });
    expect(stored).toMatchObject({ email: 'alice@example.com', name: 'Alice Smith', givenName: 'Alice', familyName: 'Smith', department: 'HR', jobTitle: 'Recruiter', admin: true, active: true });
    expect(await services.users.authenticate('alice', 'correct-horse')).not.toBeNull();
  });

  it('--json prints the user without any password material', async () => {
    const u = await runJson(['user', 'create', '--username', 'bob', '--email', 'bob@example.com', '--name', 'Bob', '--password-stdin'], { env, input: 'bob-password\n' });
    expect(Object.keys(u).sort()).toEqual(
      ['active', 'admin', 'created_at', 'department', 'email', 'family_name', 'given_name', 'has_password', 'id', 'job_title', 'name', 'username'].sort(),
    );
    expect(u).toMatchObject({ username: 'bob', email: 'bob@example.com', name: 'Bob', admin: false, active: true, has_password: true, department: null });
    expect(u.id).toBe((await db.users.findOne({ username: 'bob' }))!._id);
  });

  it('refuses --password (visible in ps and shell history), pointing to --password-stdin, and creates nothing', async () => {
    const r = await runCli(['user', 'create', '--username', 'flag', '--email', 'flag@example.com', '--name', 'Flag User', '--password', 'in-the-history'], { env });
    expectOneLineError(r, /--password is not accepted.*--password-stdin/);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('in-the-history');
    expect(await db.users.countDocuments({ username: 'flag' })).toBe(0);
    const reset = await runCli(['user', 'set-password', 'alice', '--password', 'in-the-history'], { env });
    expectOneLineError(reset, /--password is not accepted/);
  });

  it('without a terminal and without --password-stdin it refuses instead of reading a pipe silently', async () => {
    const r = await runCli(['user', 'create', '--username', 'piped', '--email', 'piped@example.com', '--name', 'Pip Ed'], { env, input: 'from-the-pipe\n' });
    expectOneLineError(r, /No terminal to ask for the password on: pipe it on standard input with --password-stdin/);
    expect(await db.users.countDocuments({ username: 'piped' })).toBe(0);
  });

  it('reads the password from piped stdin with --password-stdin', async () => {
    const u = await runJson(['user', 'create', '--username', 'piped', '--email', 'piped@example.com', '--name', 'Pip Ed', '--password-stdin'], { env, input: 'from-the-pipe\n' });
    expect(u.username).toBe('piped');
    expect(await services.users.authenticate('piped', 'from-the-pipe')).not.toBeNull();
    expect(await services.users.authenticate('piped', 'from-the-pipe\n')).toBeNull();
  });

  it('refuses a duplicate username and changes nothing', async () => {
    const r = await runCli(['user', 'create', '--username', 'ALICE', '--email', 'other@example.com', '--name', 'Imposter', '--password-stdin'], { env, input: 'whatever1\n' });
    expectOneLineError(r, /A user named "alice" already exists/);
    expect(r.code).toBe(1);
    expect(await db.users.countDocuments({ email: 'other@example.com' })).toBe(0);
  });

  it('refuses a duplicate email, naming the email', async () => {
    const r = await runCli(['user', 'create', '--username', 'alice2', '--email', 'ALICE@example.com', '--name', 'Alice Two', '--password-stdin'], { env, input: 'whatever1\n' });
    expectOneLineError(r, /A user with email "alice@example.com" already exists/);
    expect(await db.users.countDocuments({ username: 'alice2' })).toBe(0);
  });

  it('rejects invalid input (bad email, short password, operator-like username) in one line', async () => {
    const bad = await runCli(['user', 'create', '--username', 'x$ne', '--email', 'not-an-email', '--name', 'X', '--password-stdin'], { env, input: 'short\n' });
    expectOneLineError(bad, /username must be .*email must be a valid address.*password must be at least 8 characters/);
    expect(await db.users.countDocuments({ name: 'X' })).toBe(0);
  });

  it('fails when stdin ends without a password instead of creating a password-less user', async () => {
    const r = await runCli(['user', 'create', '--username', 'nopass', '--email', 'nopass@example.com', '--name', 'No Pass', '--password-stdin'], { env });
    expectOneLineError(r, /No password given/);
    expect(await db.users.countDocuments({ username: 'nopass' })).toBe(0);
  });

  it('reports a missing required option as a usage error', async () => {
    const r = await runCli(['user', 'create', '--username', 'half'], { env });
    expectOneLineError(r, /required option '--email <email>' not specified/);
    expect(r.code).toBe(2);
  });
});

describe('user list', () => {
  it('--json lists every user sorted by username, without hashes', async () => {
    const list = await runJson<any[]>(['user', 'list'], { env });
    expect(list.map((u) => u.username)).toEqual(['alice', 'bob', 'piped']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|passwordHash|password_hash/);
    expect(list[0]).toMatchObject({ department: 'HR', job_title: 'Recruiter', admin: true });
  });

  it('accepts --json after the command too', async () => {
    const r = await runCli(['user', 'list', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(3);
  });

  it('prints a table for people', async () => {
    const r = await runCli(['user', 'list'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+EMAIL\s+NAME\s+DEPARTMENT\s+JOB TITLE\s+ADMIN\s+ACTIVE$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^alice\s+alice@example.com\s+Alice Smith\s+HR\s+Recruiter\s+yes\s+yes$/);
  });

  it('is run by the root npm script from the repository root', async () => {
    const r = spawnSync('npm', ['run', '--silent', 'provider', '--', '--json', 'user', 'list'], { cwd: REPO_ROOT, env: cliEnv(env), encoding: 'utf8', input: '' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).map((u: { username: string }) => u.username)).toEqual(['alice', 'bob', 'piped']);
  });
});

describe('user set-password', () => {
  it('sets a password read with --password-stdin', async () => {
    const r = await runCli(['user', 'set-password', 'bob', '--password-stdin'], { env, input: 'bob-new-password\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Password changed for bob.\n');
    expect(await services.users.authenticate('bob', 'bob-new-password')).not.toBeNull();
    expect(await services.users.authenticate('bob', 'bob-password')).toBeNull();
  });

  it('reads the new password from piped stdin, with --json', async () => {
    const out = await runJson(['user', 'set-password', 'Bob', '--password-stdin'], { env, input: 'piped-new-pass\r\n' });
    expect(out).toEqual({ id: expect.any(String), username: 'bob', password_changed: true });
    expect(await services.users.authenticate('bob', 'piped-new-pass')).not.toBeNull();
  });

  it('refuses an unknown user and a too-short password', async () => {
    expectOneLineError(await runCli(['user', 'set-password', 'nobody', '--password-stdin'], { env, input: 'long-enough\n' }), /No user named "nobody"/);
    expectOneLineError(await runCli(['user', 'set-password', 'bob', '--password-stdin'], { env, input: 'short\n' }), /at least 8 characters/);
    expect(await services.users.authenticate('bob', 'piped-new-pass')).not.toBeNull();
  });
});

describe('user deactivate', () => {
  it('deactivates, revokes the user’s tokens and blocks sign-in', async () => {
    const bob = (await db.users.findOne({ username: 'bob' }))!;
    const now = Date.now();
    await db.accessTokens.insertOne({ _id: 'bob-token', clientId: 'c', userId: bob._id, scope: ['read'], familyId: 'f', expiresAt: new Date(now + 60_000), revokedAt: null, createdAt: new Date(now) });
    const out = await runJson(['user', 'deactivate', 'bob'], { env });
    expect(out).toMatchObject({ username: 'bob', active: false, tokens_revoked: 1 });
    expect((await db.users.findOne({ username: 'bob' }))!.active).toBe(false);
    expect((await db.accessTokens.findOne({ _id: 'bob-token' }))!.revokedAt).toBeInstanceOf(Date);
    expect(await services.users.authenticate('bob', 'piped-new-pass')).toBeNull();
  });

  it('human output names the user; unknown user is an error', async () => {
    const r = await runCli(['user', 'deactivate', 'piped'], { env });
    expect(r.stdout).toBe('Deactivated piped; 0 access tokens revoked.\n');
    expectOneLineError(await runCli(['user', 'deactivate', 'ghost'], { env }), /No user named "ghost"/);
  });

  it('every change above is in the audit log with actor "cli"', async () => {
    const actions = (await db.audit.find({ actor: 'cli' }).toArray()).map((a) => `${a.action} ${a.target}`);
    expect(actions).toEqual(
      expect.arrayContaining(['user.create alice', 'user.create bob', 'user.set_password bob', 'user.deactivate bob', 'user.deactivate piped']),
    );
    expect(actions.filter((a) => a.startsWith('user.create'))).toHaveLength(3);
  });
});

describe('user reset-2fa', () => {
  it('turns off two-factor sign-in (audited), says so, is harmless when it is off, and names an unknown user', async () => {
    const r0 = await runCli(['user', 'create', '--username', 'phoneless', '--email', 'phoneless@example.com', '--name', 'Lost Phone', '--password-stdin'], { env, input: 'phoneless-password\n' });
    expect(r0.code).toBe(0);
    const user = (await db.users.findOne({ username: 'phoneless' }))!;
    expect(await services.twoFactor.enable(user._id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 1)).toHaveLength(10);

    const r = await runCli(['user', 'reset-2fa', 'phoneless'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Two-factor sign-in reset for phoneless: they sign in with their password.\n');
    expect((await db.users.findOne({ username: 'phoneless' }))!.twoFactor).toBeUndefined();
    expect(await db.audit.findOne({ action: 'two_factor.reset', target: 'phoneless' })).toMatchObject({ actor: 'cli', detail: { by: 'cli' } });

    const again = await runJson(['user', 'reset-2fa', 'phoneless'], { env });
    expect(again).toEqual({ id: user._id, username: 'phoneless', two_factor_reset: false });
    expect(await db.audit.countDocuments({ action: 'two_factor.reset', target: 'phoneless' })).toBe(1);
    expectOneLineError(await runCli(['user', 'reset-2fa', 'ghost'], { env }), /No user named "ghost"/);
  });
});
