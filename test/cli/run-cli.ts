// Runs the real CLI as a child process, exactly as `npx hrm-sso …` does (the compiled bin).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { CLI_BIN, ensureBuilt } from '../support/build';

let built = false;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Provider settings the developer's shell may carry; a test states its own. */
const PROVIDER_VARS = ['MONGO_URL', 'MONGO_DB', 'DATA_DIR', 'FERRETDB_BIN', 'PASSWORD_SCRYPT_COST', 'NODE_ENV', 'SESSION_SECRET', 'SESSION_SECRETS', 'ISSUER'];

export function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of PROVIDER_VARS) delete base[k];
  // The tests' own knobs (HRM_SCALE_USERS=500 npm test) are not provider settings: the CLI refuses unknown HRM_* names.
  for (const k of Object.keys(base)) if (k.startsWith('HRM_SCALE_')) delete base[k];
  return { ...base, PASSWORD_SCRYPT_COST: '1024', ...env };
}

/** `input` is written to stdin then closed; without it stdin is closed at once (as `< /dev/null`). */
export function runCli(args: string[], opts: { env: Record<string, string | undefined>; input?: string; cwd?: string }): Promise<CliResult> {
  if (!built) (ensureBuilt(), (built = true));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: opts.cwd ?? path.join(REPO_ROOT, 'provider'), env: cliEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command that must succeed and parses its --json output. */
export async function runJson<T = any>(args: string[], opts: { env: Record<string, string | undefined>; input?: string }): Promise<T> {
  const r = await runCli(['--json', ...args], opts);
  if (r.code !== 0) throw new Error(`CLI ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The error contract: non-zero exit, nothing on stdout, exactly one "Error: …" line, no stack. */
export function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
