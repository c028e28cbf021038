// Starts FerretDB (MongoDB wire protocol on SQLite) as a child process: the embedded
// database for `npm start` and the CLI when MONGO_URL is unset, and the tests' database.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedFerretDb {
  url: string;
  port: number;
  /** The running FerretDB's process id (undefined while it is down). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export class EmbeddedDbError extends Error {
  constructor(readonly code: 'ferretdb_missing' | 'ferretdb_failed', message: string) {
    super(message);
  }
}

export function ferretDbBinary(dataDir: string, explicit?: string): string {
  return explicit ?? path.join(dataDir, 'bin', 'ferretdb');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

/** Port file lets the CLI reuse the FerretDB a running `npm start` already serves. */
function portFile(sqliteDir: string) {
  return path.join(sqliteDir, 'ferretdb.port');
}

export async function findRunningFerretDb(sqliteDir: string): Promise<string | undefined> {
  try {
    const port = Number(fs.readFileSync(portFile(sqliteDir), 'utf8').trim());
    if (port > 0 && (await canConnect(port))) return `mongodb://127.0.0.1:${port}/`;
  } catch {
    /* no running instance */
  }
  return undefined;
}

/** Linux: the child gets SIGKILL when this process dies, even by SIGKILL (PR_SET_PDEATHSIG via util-linux's setpriv). */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && fs.existsSync(p));

export interface StartOptions {
  binary: string;
  sqliteDir: string;
  port?: number;
  publishPort?: boolean;
  /** Restart FerretDB with backoff when it dies (npm start); tests that stop it on purpose leave this off. */
  supervise?: boolean;
  /** Supervisor events for the log: restarts and failures (never secrets: only pids, codes, delays). */
  onEvent?: (event: SupervisorEvent) => void;
}

export type SupervisorEvent =
  | { type: 'exited'; pid: number | undefined; code: number | null; signal: string | null; restartInMs: number }
  | { type: 'restarted'; pid: number | undefined; attempt: number }
  | { type: 'restart_failed'; attempt: number; message: string };

/** Backoff between restarts: 100 ms doubling up to 5 s; reset once FerretDB has stayed up for 30 s. */
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 5000;
const STABLE_AFTER_MS = 30000;

export async function startFerretDb(opts: StartOptions): Promise<EmbeddedFerretDb> {
  if (!fs.existsSync(opts.binary)) {
    throw new EmbeddedDbError(
      'ferretdb_missing',
      `No database: MONGO_URL is not set and FerretDB is not installed at ${opts.binary}; set MONGO_URL to your MongoDB server, or run 'npm run setup:ferretdb' (needs a Go toolchain) to use the embedded database.`,
    );
  }
  fs.mkdirSync(opts.sqliteDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${opts.sqliteDir.replace(/\/?$/, '/')}`,
    `--listen-addr=127.0.0.1:${port}`,
    // FerretDB keeps a state.json in its working directory unless told otherwise.
    `--state-dir=${opts.sqliteDir}`,
    '--telemetry=disable',
    '--debug-addr=',
    '--log-level=error',
  ];

  let child: ChildProcess;
  let exited = false;
  let stopping = false;
  let stderr = '';

  const launch = () => {
    const [cmd, cmdArgs] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', opts.binary, ...args]] : [opts.binary, args];
    const c = spawn(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    stderr = '';
    exited = false;
    c.stderr?.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
    c.once('exit', () => { if (c === child) exited = true; });
    c.on('error', () => undefined); // reported through 'exit' / the port never opening
    child = c;
    return c;
  };

  const waitForPort = async (c: ChildProcess, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await canConnect(port))) {
      if (c.exitCode !== null || c.signalCode !== null || Date.now() > deadline) {
        c.kill('SIGKILL');
        throw new EmbeddedDbError('ferretdb_failed', `FerretDB did not start on 127.0.0.1:${port}: ${stderr.trim() || 'no output'}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  await waitForPort(launch(), 15000);
  if (opts.publishPort) fs.writeFileSync(portFile(opts.sqliteDir), String(port));

  if (opts.supervise) {
    let attempt = 0;
    let upSince = Date.now();
    const watch = (c: ChildProcess) => {
      c.once('exit', (code, signal) => {
        if (stopping) return;
        if (Date.now() - upSince > STABLE_AFTER_MS) attempt = 0;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
        opts.onEvent?.({ type: 'exited', pid: c.pid, code, signal, restartInMs: delay });
        const retry = () => {
          if (stopping) return;
          attempt++;
          const next = launch();
          watch(next);
          waitForPort(next, 15000).then(
            () => { upSince = Date.now(); opts.onEvent?.({ type: 'restarted', pid: next.pid, attempt }); },
            (err: Error) => opts.onEvent?.({ type: 'restart_failed', attempt, message: err.message }),
          );
        };
        setTimeout(retry, delay).unref();
      });
    };
    watch(child!);
  }

  return {
    url: `mongodb://127.0.0.1:${port}/`,
    port,
    pid: () => (exited ? undefined : child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (opts.publishPort) fs.rmSync(portFile(opts.sqliteDir), { force: true });
        if (exited || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
