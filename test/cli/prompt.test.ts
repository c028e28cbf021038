// The password prompt on a real terminal: `script` gives the CLI a pseudo-terminal, and we type
// only after each prompt appears, so any echo would be the CLI's own doing.
import { spawn, spawnSync } from 'node:child_process';
import type { Database } from '../../provider/src/db/connect';
import type { Services } from '../../provider/src/domain/services';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { cliEnv } from './run-cli';
import { CLI_BIN, ensureBuilt } from '../support/build';

// util-linux `script` (Debian: bsdutils, always installed) provides the pseudo-terminal.
const itWithPty = it;
if (spawnSync('script', ['--version']).status !== 0) throw new Error('`script` (util-linux) is needed for the terminal prompt tests');

let cli: CliDatabase;
let db: Database;
let services: Services;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await openCliDatabase('cli_prompt');
  ({ db, services, env } = cli);
});
afterAll(() => cli?.close());

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pty; `answers` are typed one by one, each after the next prompt shows. */
function onTerminal(args: string[], answers: string[]): Promise<{ code: number | null; transcript: string }> {
  ensureBuilt();
  const command = [process.execPath, CLI_BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], { env: cliEnv(env) });
  let transcript = '';
  let prompts = 0;
  child.stdout.on('data', (d) => {
    transcript += d;
    const seen = (transcript.match(/Password( \(again\))?: /g) ?? []).length;
    while (prompts < seen && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, transcript })));
}

itWithPty('user create prompts twice on a terminal and never echoes the password', async () => {
  const r = await onTerminal(['user', 'create', '--username', 'tty', '--email', 'tty@example.com', '--name', 'Tee Tee Why'], ['typed-secret-1', 'typed-secret-1']);
  expect(r.transcript).toContain('Password: ');
  expect(r.transcript).toContain('Password (again): ');
  expect(r.transcript).not.toContain('typed-secret-1');
  expect(r.transcript).toMatch(/Created user tty/);
  expect(r.code).toBe(0);
  expect(await services.users.authenticate('tty', 'typed-secret-1')).not.toBeNull();
});

itWithPty('a mismatched confirmation changes nothing', async () => {
  const r = await onTerminal(['user', 'create', '--username', 'tty2', '--email', 'tty2@example.com', '--name', 'T2'], ['first-secret', 'other-secret']);
  expect(r.transcript).toMatch(/Error: The two passwords do not match\./);
  expect(r.code).toBe(1);
  expect(await db.users.countDocuments({ username: 'tty2' })).toBe(0);
});
