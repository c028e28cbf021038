// The comparison system for BENCH_DOT=1: Django OAuth Toolkit 3.4.1 (the unmodified fixture in
// test/fixtures/dot with bench/dot/bench_settings.py) on gunicorn with 2 workers, over a private
// PostgreSQL cluster (Debian's postgresql package: initdb + postgres as the postgres user, on a
// free port, data under /tmp) — or over SQLite when no PostgreSQL can be started (reported).
// Python side: .data/bench-venv (bash scripts/setup-bench-dot.sh; pinned in bench/requirements-dot.txt).
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, measureAsTree, treeRssMb, waitFor, canConnect, track, type Proc } from './procs';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'dot');

export interface DotApp {
  client_id: string;
  client_secret: string;
}

export interface DotWorkingSet {
  code: DotApp;
  password: DotApp;
  client_credentials: DotApp;
  username: string;
  password_value: string;
  redirect_uri: string;
  access_token: string;
}

export interface DotSystem {
  baseUrl: string;
  /** 'PostgreSQL 15.x' or 'SQLite (PostgreSQL unavailable: why)'. */
  database: string;
  /** gunicorn's worker class (BENCH_DOT_WORKER). */
  worker: string;
  /** gunicorn master (measured with its workers) and the PostgreSQL postmaster (with its backends). */
  pids: Record<string, number>;
  ws: DotWorkingSet;
  filler(n: number): Promise<void>;
  pool(kind: 'refresh' | 'code', n: number): Promise<string[]>;
  idleRssMb(): Record<string, number>;
  stop(): Promise<void>;
}

function pythonBin(): string {
  const venv = process.env.BENCH_DOT_VENV ?? path.join(ROOT, '.data', 'bench-venv');
  const py = path.join(venv, 'bin', 'python');
  if (!fs.existsSync(py)) throw new Error(`${py} is missing: run \`bash scripts/setup-bench-dot.sh\` for BENCH_DOT=1`);
  return py;
}

function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

interface Pg {
  proc: Proc;
  host: string;
  port: number;
  version: string;
  dir: string;
}

/** A throwaway PostgreSQL cluster owned by the postgres user (PostgreSQL refuses to run as root). */
async function startPostgres(): Promise<Pg> {
  const bin = pgBinDir();
  if (!bin) throw new Error('no PostgreSQL under /usr/lib/postgresql (apt-get install -y postgresql)');
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-bench-pg-'));
  fs.chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  const asPg = { uid, gid, env: { ...process.env, HOME: dir } };
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'], asPg);
  const port = await freePort();
  // Defaults kept (fsync, synchronous_commit on: as durable as FerretDB's SQLite at synchronous=FULL).
  const child = spawn(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'], { ...asPg, stdio: ['ignore', 'ignore', 'pipe'] });
  const proc = track('postgresql', child, 10000);
  await waitFor(() => canConnect(port), 'PostgreSQL');
  await waitFor(async () => (await run(path.join(bin, 'pg_isready'), ['-h', dir, '-p', String(port)]).then(() => true, () => false)), 'PostgreSQL ready');
  await run(path.join(bin, 'createdb'), ['-h', dir, '-p', String(port), '-U', 'postgres', 'dot'], asPg);
  const version = (await run(path.join(bin, 'postgres'), ['--version'])).stdout.trim().replace(/^postgres \(PostgreSQL\) /, '');
  return { proc, host: dir, port, version, dir };
}

export async function startDot(work: string): Promise<DotSystem> {
  const python = pythonBin();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DJANGO_SETTINGS_MODULE: 'bench_settings',
    PYTHONPATH: [path.join(ROOT, 'bench', 'dot'), FIXTURE].join(path.delimiter),
    DOT_SECRET_KEY: `bench-${process.pid}-${Date.now()}`,
    DOT_DB: path.join(work, 'dot.sqlite3'),
    PYTHONDONTWRITEBYTECODE: '1',
  };
  let pg: Pg | undefined;
  let database: string;
  try {
    pg = await startPostgres();
    env.DOT_PG_HOST = pg.host;
    env.DOT_PG_PORT = String(pg.port);
    database = `PostgreSQL ${pg.version}`;
  } catch (err) {
    database = `SQLite (PostgreSQL unavailable: ${(err as Error).message.split('\n')[0]})`;
  }
  const manage = async (args: string[]) => (await run(python, ['manage.py', ...args], { cwd: FIXTURE, env, maxBuffer: 256 * 2 ** 20 })).stdout;
  let ws: DotWorkingSet;
  try {
    await manage(['migrate', '-v0']);
    ws = JSON.parse((await manage(['bench_dot', 'setup'])).trim().split('\n').pop()!) as DotWorkingSet;
  } catch (err) {
    // Never leave the throwaway cluster running behind a failed setup.
    if (pg) {
      await pg.proc.stop();
      fs.rmSync(pg.dir, { recursive: true, force: true });
    }
    throw err;
  }

  const port = await freePort();
  // BENCH_DOT_WORKER=sync (gunicorn's default: one request per connection, then close) or
  // gthread (with --threads 1: the same one-request-at-a-time workers, with keep-alive).
  const workerClass = process.env.BENCH_DOT_WORKER ?? 'gthread';
  const workerArgs = workerClass === 'gthread' ? ['--worker-class', 'gthread', '--threads', '1', '--keep-alive', '5'] : ['--worker-class', workerClass];
  const gunicorn = spawn(path.join(path.dirname(python), 'gunicorn'), ['--bind', `127.0.0.1:${port}`, '--workers', '2', ...workerArgs, 'hrm.wsgi'], { cwd: FIXTURE, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const gproc = track('gunicorn', gunicorn, 10000);
  measureAsTree(gproc.pid);
  if (pg) measureAsTree(pg.proc.pid);
  try {
    await waitFor(() => canConnect(port), 'gunicorn (DOT)');
  } catch (err) {
    await gproc.stop();
    if (pg) {
      await pg.proc.stop();
      fs.rmSync(pg.dir, { recursive: true, force: true });
    }
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  // First requests open the workers' database connections.
  for (let i = 0; i < 4; i++) await fetch(`${baseUrl}/api/v2/o/userinfo/`, { headers: { authorization: `Bearer ${ws.access_token}` } }).then((r) => r.text());
  const pids: Record<string, number> = { gunicorn: gproc.pid, ...(pg ? { postgresql: pg.proc.pid } : {}) };
  return {
    baseUrl,
    database,
    worker: workerClass === 'gthread' ? 'gthread, 1 thread, keep-alive' : workerClass,
    pids,
    ws,
    filler: async (n) => {
      if (n > 0) await manage(['bench_dot', 'filler', String(n)]);
    },
    pool: async (kind, n) => JSON.parse((await manage(['bench_dot', 'pool', kind, String(n)])).trim().split('\n').pop()!) as string[],
    idleRssMb: () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, treeRssMb(pid)])),
    stop: async () => {
      await gproc.stop();
      if (pg) {
        await pg.proc.stop();
        fs.rmSync(pg.dir, { recursive: true, force: true });
      }
    },
  };
}
