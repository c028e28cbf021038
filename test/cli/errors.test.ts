// Failures outside any one command: no database, bad configuration, bad usage.
import { freePort } from '../../provider/src/db/embedded-ferretdb';
import { expectOneLineError, runCli } from './run-cli';

it.each([
  [['user', 'list']],
  [['client', 'create', '--name', 'X', '--redirect-uri', 'https://x.example.com/cb']],
  [['--json', 'tokens', 'clear']],
])('database unreachable: %j exits 1 within seconds with one line', async (args) => {
  const port = await freePort(); // nothing listens there
  const started = Date.now();
  const r = await runCli(args, { env: { MONGO_URL: `mongodb://127.0.0.1:${port}/`, MONGO_DB: 'cli_errors' } });
  expectOneLineError(r, new RegExp(`Cannot reach the database at mongodb://127\\.0\\.0\\.1:${port}/`));
  expect(r.code).toBe(1);
  expect(Date.now() - started).toBeLessThan(10_000);
});

it('never prints the password in a connection string', async () => {
  const port = await freePort();
  const r = await runCli(['user', 'list'], { env: { MONGO_URL: `mongodb://admin:hunter2@127.0.0.1:${port}/`, MONGO_DB: 'cli_errors' } });
  expectOneLineError(r, /Cannot reach the database at mongodb:\/\/\*\*\*@127/);
  expect(r.stderr).not.toContain('hunter2');
});

it('a malformed MONGO_URL is a configuration error in one line', async () => {
  const r = await runCli(['user', 'list'], { env: { MONGO_URL: 'not-a-mongo-url', MONGO_DB: 'cli_errors' } });
  expectOneLineError(r, /Invalid configuration: MONGO_URL: Invalid scheme/);
  expect(r.code).toBe(2);
});

it('invalid configuration is a usage error (exit 2) naming the variable', async () => {
  const r = await runCli(['user', 'list'], { env: { MONGO_URL: 'mongodb://127.0.0.1:1/', MONGO_DB: 'bad name!' } });
  expectOneLineError(r, /Invalid configuration: MONGO_DB/);
  expect(r.code).toBe(2);
});

it('no MONGO_URL and no FerretDB binary names both remedies', async () => {
  const r = await runCli(['user', 'list'], { env: { DATA_DIR: '/nonexistent/hrm-data' } });
  expectOneLineError(r, /set MONGO_URL .*'npm run setup:ferretdb'/);
});

it.each([
  [['bogus'], /unknown command 'bogus'/],
  [['user', 'frobnicate'], /unknown command 'frobnicate'/],
  [['client', 'list', '--verbose'], /unknown option '--verbose'/],
  [['client', 'rotate-secret'], /missing required argument 'client_id'/],
])('usage error %j: one line, exit 2, no database touched', async (args, message) => {
  const r = await runCli(args, { env: { MONGO_URL: 'mongodb://127.0.0.1:1/' } });
  expectOneLineError(r, message);
  expect(r.code).toBe(2);
});

it('--help succeeds and lists the command groups', async () => {
  const r = await runCli(['--help'], { env: {} });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/--json/);
  for (const group of ['user', 'client', 'tokens']) expect(r.stdout).toMatch(new RegExp(`^  ${group} `, 'm'));
});
