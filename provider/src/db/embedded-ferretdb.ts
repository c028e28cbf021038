// Starts FerretDB (MongoDB wire protocol on SQLite) as a child process: the embedded
// database for `npm start` and the CLI when MONGO_URL is unset, and the tests' database.
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedFerretDb {
  url: string;
  port: number;
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

export async function startFerretDb(opts: { binary: string; sqliteDir: string; port?: number; publishPort?: boolean }): Promise<EmbeddedFerretDb> {
  if (!fs.existsSync(opts.binary)) {
    throw new EmbeddedDbError(
      'ferretdb_missing',
      `No database: MONGO_URL is not set and FerretDB is not installed at ${opts.binary}; set MONGO_URL to your MongoDB server, or run 'npm run setup:ferretdb' (needs a Go toolchain) to use the embedded database.`,
    );
  }
  fs.mkdirSync(opts.sqliteDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    opts.binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${opts.sqliteDir.replace(/\/?$/, '/')}`,
      `--listen-addr=127.0.0.1:${port}`,
      // FerretDB keeps a state.json in its working directory unless told otherwise.
      `--state-dir=${opts.sqliteDir}`,
      '--telemetry=disable',
      '--debug-addr=',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr = (stderr + d).slice(-2000); });
  let exited = false;
  child.once('exit', () => { exited = true; });

  const deadline = Date.now() + 15000;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EmbeddedDbError('ferretdb_failed', `FerretDB did not start on 127.0.0.1:${port}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (opts.publishPort) fs.writeFileSync(portFile(opts.sqliteDir), String(port));

  return {
    url: `mongodb://127.0.0.1:${port}/`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (opts.publishPort) fs.rmSync(portFile(opts.sqliteDir), { force: true });
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
