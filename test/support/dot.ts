// An unmodified Django OAuth Toolkit HRM (test/fixtures/dot) under gunicorn on 127.0.0.1 and a
// free port, over its own SQLite file: migrations run, users and one confidential
// authorization-code Application are created, and gunicorn's access log is kept for assertions.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { scaled } from './timeouts';
import { stopChild } from './stop-child';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'dot');
const VENV_BIN = path.join(REPO_ROOT, '.venv', 'bin');

export interface DotUser {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

export interface DotServer {
  baseUrl: string;
  client: { client_id: string; client_secret: string };
  /** gunicorn's access log so far (request lines: method, path and query). */
  accessLog(): string;
  stop(): Promise<void>;
}

function venvTool(name: string): string {
  const tool = path.join(VENV_BIN, name);
  if (!fs.existsSync(tool)) {
    throw new Error(`${tool} is missing: run \`bash scripts/setup-python.sh\` (.ci/run does it) to install Django OAuth Toolkit.`);
  }
  return tool;
}

export async function startDot(opts: { redirectUris: string[]; users: DotUser[] }): Promise<DotServer> {
  const python = venvTool('python');
  const gunicorn = venvTool('gunicorn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-dot-'));
  const env = { ...process.env, DOT_DB: path.join(dir, 'db.sqlite3'), DOT_SECRET_KEY: `test-${process.pid}-${Date.now()}`, PYTHONDONTWRITEBYTECODE: '1' };
  const manage = (args: string[]) => run(python, ['manage.py', ...args], { cwd: FIXTURE, env });
  await manage(['migrate', '-v0']);
  const setup = await manage([
    'setup_hrm',
    ...opts.redirectUris.flatMap((u) => ['--redirect-uri', u]),
    ...opts.users.flatMap((u) => ['--user', [u.username, u.email, u.firstName, u.lastName, u.password].join(':')]),
  ]);
  const client = JSON.parse(setup.stdout.trim().split('\n').pop() ?? '{}') as { client_id: string; client_secret: string };

  let output = '';
  const child: ChildProcess = spawn(gunicorn, ['--bind', '127.0.0.1:0', '--workers', '2', '--access-logfile', '-', '--error-logfile', '-', 'hrm.wsgi'], { cwd: FIXTURE, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    await stopChild(child);
    child.stdout!.destroy();
    child.stderr!.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + scaled(30_000);
  let baseUrl: string | undefined;
  while (!baseUrl) {
    const match = /Listening at: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match) baseUrl = match[1];
    else if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`gunicorn did not start the DOT fixture: ${output.slice(0, 2000)}`);
    } else await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, client, accessLog: () => output, stop };
}
