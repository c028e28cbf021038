// Runs the provider as a real process: `node provider/dist/main.js`, what `npm start` runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../provider/src/db/embedded-ferretdb';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { TEST_SESSION_SECRET } from './provider';
import { ensureBuilt, PROVIDER_MAIN } from './build';
import { scaled } from './timeouts';


export interface ProviderProcess {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

export async function startProviderProcess(env: Record<string, string>): Promise<ProviderProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  ensureBuilt();
  const child: ChildProcess = spawn(process.execPath, [PROVIDER_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PORT: String(port), ISSUER: baseUrl, SESSION_SECRET: TEST_SESSION_SECRET, PASSWORD_SCRYPT_COST: '1024', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + scaled(30000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`provider exited early (${child.exitCode}): ${out}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`provider did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    baseUrl,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs main.ts to completion (for startup failures) and returns its exit code and output. */
export function runProviderToExit(env: Record<string, string>, timeoutMs = scaled(30000)): Promise<{ code: number | null; output: string }> {
  ensureBuilt();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PROVIDER_MAIN], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: out });
    });
  });
}
