// `npm run bench`: the provider (on the embedded FerretDB) against a bare-Express baseline on
// this machine, at several numbers of stored tokens. Systems are interleaved within each round;
// the table shows medians over rounds. Not part of `npm test`. Knobs (environment):
//   BENCH_QUICK=1            1 round, 3 s runs, sizes 1000 and 10000, small pools (a smoke run)
//   BENCH_ROUNDS=3           rounds per size
//   BENCH_DURATION=10        seconds per run
//   BENCH_CONNECTIONS=8      concurrent connections
//   BENCH_SIZES=1e3,1e5,1e6  stored tokens (filler: half access, half refresh tokens)
//   BENCH_TESTS=…            comma list of: userinfo,introspect,client_credentials,password,refresh,code,login_under_load
//   BENCH_POOL=1000×duration single-use refresh tokens / codes prepared per round (a run that uses them up stops early)
//   BENCH_FERRETDB_SYNC=normal  SQLite synchronous=NORMAL for the bench's FerretDB (default: FerretDB's FULL)
//   BENCH_FERRETDB_PRAGMA=…  more SQLite pragmas for it, comma-separated, e.g. wal_autocheckpoint(10000)
//   BENCH_DOT=1              also Django OAuth Toolkit 3.4.1 on gunicorn (2 workers) + PostgreSQL, interleaved
//   BENCH_DOT_WORKER=gthread gunicorn worker class for DOT: gthread (1 thread, keep-alive; default) or sync
//                            with ours in every round, seeded with the same number of tokens
//                            (setup: bash scripts/setup-bench-dot.sh; see bench/lib/dot.ts)
//   BENCH_PROFILE=1          the provider runs with --cpu-prof; profiles in bench/results/profiles/
//                            (summarise with: node --import tsx bench/profile-summary.ts <file>)
//   BENCH_TIMELINE=1         per-second latency of ours (max, p99, requests over 100 ms) printed after each run
//   WORKERS, UV_THREADPOOL_SIZE, PASSWORD_SCRYPT_COST, …: passed to the provider as usual (node CPU/RSS = its whole process tree)
// Results: printed, and written to bench/results/<time>.md and .json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../provider/src/kernel/config';
import { connectDatabase } from '../provider/src/db/connect';
import { launch, freePort, waitFor, canConnect, rssMb, treeRssMb, measureAsTree, loadAverage, machineSample, busyShare, type Proc } from './lib/procs';
import { runLoad, median, type LoadResult, type LoadSpec } from './lib/load';
import { seedFiller, seedWorkingSet, issue, issueCodes, type WorkingSet } from './lib/seed';
import { startDot, type DotSystem } from './lib/dot';

const ROOT = path.resolve(__dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const DURATION = Number(process.env.BENCH_DURATION ?? (QUICK ? 3 : 10));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SIZES = (process.env.BENCH_SIZES ?? (QUICK ? '1e3,1e4' : '1e3,1e5,1e6')).split(',').map(Number).sort((a, b) => a - b);
const TESTS = (process.env.BENCH_TESTS ?? 'userinfo,introspect,client_credentials,password,refresh,code,login_under_load').split(',');
// Enough for 1,000 single-use grants per second: a run stops early when its pool is used up.
const POOL = Number(process.env.BENCH_POOL ?? (QUICK ? 600 : Math.max(4000, 1000 * DURATION)));
const DOT = process.env.BENCH_DOT === '1';
const DB_NAME = 'hrm_bench';

interface Row {
  size: number;
  test: string;
  ours: LoadResult[];
  base?: LoadResult[];
  dot?: LoadResult[];
  extra?: Record<string, number[]>;
}

function log(msg: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-bench-'));
  const procs: Proc[] = [];
  const stopAll = async () => {
    for (const p of procs.reverse()) await p.stop();
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    await bench(work, procs);
  } finally {
    await stopAll();
  }
}

async function bench(work: string, procs: Proc[]) {
  // Other work already running makes every figure low and noisy: measured before anything starts,
  // as the CPUs' busy share over two seconds (the load average lags: a previous run still shows).
  const loadBefore = loadAverage();
  const s0 = machineSample();
  await new Promise((r) => setTimeout(r, 2000));
  const s1 = machineSample();
  const busyBefore = busyShare(s0, s1);
  const ferretBin = process.env.FERRETDB_BIN ?? path.join(ROOT, '.data', 'bin', 'ferretdb');
  const ferretVersion = execFileSync(ferretBin, ['--version'], { encoding: 'utf8' }).split('\n')[0].replace('version: ', '');
  const dbPort = await freePort();
  fs.mkdirSync(path.join(work, 'db'));
  // SQLite pragmas for the bench's FerretDB, e.g. BENCH_FERRETDB_PRAGMA=wal_autocheckpoint(10000) (a comma list).
  const pragmas = [...(process.env.BENCH_FERRETDB_SYNC ? [`synchronous(${process.env.BENCH_FERRETDB_SYNC})`] : []), ...(process.env.BENCH_FERRETDB_PRAGMA ?? '').split(',').filter(Boolean)];
  const pragma = pragmas.length ? `?${pragmas.map((p) => `_pragma=${encodeURIComponent(p)}`).join('&')}` : '';
  const ferret = launch('ferretdb', ferretBin, ['--handler=sqlite', `--sqlite-url=file:${work}/db/${pragma}`, `--listen-addr=127.0.0.1:${dbPort}`, `--state-dir=${work}/db`, '--telemetry=disable', '--debug-addr=', '--log-level=error']);
  procs.push(ferret);
  await waitFor(() => canConnect(dbPort), 'FerretDB');
  const mongoUrl = `mongodb://127.0.0.1:${dbPort}/`;

  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const providerEnv: Record<string, string> = {
    NODE_ENV: 'production',
    ISSUER: issuer,
    HOST: '127.0.0.1',
    PORT: String(port),
    MONGO_URL: mongoUrl,
    MONGO_DB: DB_NAME,
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnopq',
    // The limits stay in the request path (their database work is measured) but must not refuse a benchmark.
    TOKEN_RATE_LIMIT: '1000000000',
    LOGIN_RATE_LIMIT: '1000000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const config = loadConfig({ ...process.env, ...providerEnv });
  const d = await connectDatabase(mongoUrl, DB_NAME);

  // The explain() check: the bench is meaningless on an unpatched FerretDB.
  await d.db.collection('explain_probe').insertOne({ _id: 'probe' } as never);
  const explain = (await d.db.collection('explain_probe').find({ _id: 'probe' } as never).limit(1).explain()) as { queryPlanner?: { Plan?: string[] } };
  const plan = (explain.queryPlanner?.Plan ?? []).join('; ');
  const indexed = /SEARCH .* USING INDEX/.test(plan);
  log(`FerretDB ${ferretVersion}: {_id} lookup plan: ${plan} ${indexed ? '(index search)' : '(TABLE SCAN: unpatched FerretDB, run npm run setup:ferretdb)'}`);

  const profileDir = path.join(__dirname, 'results', 'profiles');
  const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // Measure what production runs: the compiled provider (`npm start` runs provider/dist/main.js).
  execFileSync(process.execPath, [path.join(ROOT, 'provider', 'scripts', 'build.js')], { stdio: 'inherit' });
  const provider = launch('provider', process.execPath, [...profile, path.join(ROOT, 'provider', 'dist', 'main.js')], providerEnv);
  procs.push(provider);
  // WORKERS=N: the provider is a primary and N workers; CPU and RSS are the whole tree's.
  measureAsTree(provider.pid);
  await waitFor(async () => (await fetch(`${issuer}/healthz`)).ok, 'provider');
  const basePort = await freePort();
  const baseline = launch('baseline', process.execPath, ['--import', 'tsx', path.join(__dirname, 'baseline.ts')], { PORT: String(basePort) });
  procs.push(baseline);
  await waitFor(() => canConnect(basePort), 'baseline');
  await new Promise((r) => setTimeout(r, 1000));
  let dot: DotSystem | undefined;
  let dotFailure: string | undefined;
  if (DOT) {
    try {
      dot = await startDot(work);
      procs.push({ name: 'dot', pid: 0, child: undefined as never, stop: () => dot!.stop() });
      log(`DOT on gunicorn (2 workers) + ${dot.database} at ${dot.baseUrl}`);
    } catch (err) {
      // Ours is still worth measuring; the report says why the comparison is missing.
      dotFailure = (err as Error).message.split('\n')[0];
      log(`DOT could not be started (${dotFailure}); measuring ours only. Set it up with: bash scripts/setup-bench-dot.sh`);
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  const idle: Record<string, number> = { node: treeRssMb(provider.pid), ferretdb: rssMb(ferret.pid), baseline: rssMb(baseline.pid), ...(dot ? prefixed('dot_', dot.idleRssMb()) : {}) };
  log(`idle RSS (MB): ${JSON.stringify(idle)}`);

  const ws = await seedWorkingSet(config, d);
  const userId = (await d.users.findOne({ _id: { $exists: true }, username: ws.username } as never))?._id as string;
  const pids = { node: provider.pid, ferretdb: ferret.pid };
  const basic = 'Basic ' + Buffer.from(`${encodeURIComponent(ws.clientId)}:${encodeURIComponent(ws.clientSecret)}`).toString('base64');
  const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };

  const rows: Row[] = [];
  const machine: Array<{ size: number; load1: number; busy: number }> = [];
  let stored = 0;
  for (const size of SIZES) {
    const t0 = Date.now();
    await Promise.all([seedFiller(d, size - stored, (n) => { if (n % 100_000 === 0) log(`  seeded ${stored + n}`); }), dot?.filler(size - stored)]);
    log(`size ${size}: seeded ${size - stored} filler tokens in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    stored = size;
    const byTest = new Map<string, Row>();
    const row = (test: string) => byTest.get(test) ?? byTest.set(test, { size, test, ours: [], base: [], dot: [], extra: {} }).get(test)!;
    for (let round = 0; round < ROUNDS; round++) {
      const m0 = machineSample();
      for (const test of TESTS) {
        const spec = await specFor(test, { issuer, ws, form, config, d, userId });
        if (!spec) continue;
        if (test === 'login_under_load') {
          // 10.D: logins (scrypt) and userinfo at once: does hashing stall the other requests?
          const ui: LoadSpec = { url: `${issuer}/api/v2/o/userinfo/`, headers: { authorization: `Bearer ${ws.accessToken}` }, connections: CONNECTIONS, durationSeconds: DURATION };
          const [login, userinfo] = await Promise.all([runLoad(spec, pids), runLoad(ui, {})]);
          const r = row(test);
          r.ours.push(login);
          r.extra!.userinfo_rps = [...(r.extra!.userinfo_rps ?? []), userinfo.rps];
          r.extra!.userinfo_p99 = [...(r.extra!.userinfo_p99 ?? []), userinfo.p99];
        } else {
          row(test).ours.push(await runLoad(spec, pids));
        }
        log(`size ${size} round ${round + 1} ${test}: ${row(test).ours.at(-1)!.rps.toFixed(0)} rps`);
        for (const s of row(test).ours.at(-1)!.timeline ?? []) log(`  t=${s.second}s ${s.requests} req, p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms, ${s.slow} over 100 ms`);
        if (dot) {
          // DOT right after ours, in the same round (interleaved), with its own credentials.
          const dspec = await dotSpecFor(test, dot);
          if (test === 'login_under_load') {
            const ui: LoadSpec = { url: `${dot.baseUrl}/api/v2/o/userinfo/`, headers: { authorization: `Bearer ${dot.ws.access_token}` }, connections: CONNECTIONS, durationSeconds: DURATION };
            const [login, userinfo] = await Promise.all([runLoad(dspec, dot.pids), runLoad(ui, {})]);
            row(test).dot!.push(login);
            const r = row(test);
            r.extra!.dot_userinfo_rps = [...(r.extra!.dot_userinfo_rps ?? []), userinfo.rps];
            r.extra!.dot_userinfo_p99 = [...(r.extra!.dot_userinfo_p99 ?? []), userinfo.p99];
          } else {
            row(test).dot!.push(await runLoad(dspec, dot.pids));
          }
          log(`size ${size} round ${round + 1} ${test} (DOT): ${row(test).dot!.at(-1)!.rps.toFixed(0)} rps`);
        }
        if (test === 'userinfo') {
          // The baseline right after, in the same round (interleaved).
          row(test).base!.push(await runLoad({ url: `http://127.0.0.1:${basePort}/api/v2/o/userinfo/`, connections: CONNECTIONS, durationSeconds: DURATION }, { node: baseline.pid }));
        }
      }
      const m1 = machineSample();
      machine.push({ size, load1: loadAverage(), busy: busyShare(m0, m1) });
    }
    rows.push(...byTest.values());
  }
  const loaded = { node: treeRssMb(provider.pid), ferretdb: rssMb(ferret.pid) };
  await d.close();
  report({ rows, idle, loaded, machine, ferretVersion, indexed, dotDatabase: dot?.database, dotWorker: dot?.worker, dotFailure, loadBefore, busyBefore });
}

async function specFor(test: string, c: { issuer: string; ws: WorkingSet; form: Record<string, string>; config: ReturnType<typeof loadConfig>; d: Awaited<ReturnType<typeof connectDatabase>>; userId: string }): Promise<LoadSpec | undefined> {
  const base = { connections: CONNECTIONS, durationSeconds: DURATION };
  switch (test) {
    case 'userinfo':
      return { ...base, url: `${c.issuer}/api/v2/o/userinfo/`, headers: { authorization: `Bearer ${c.ws.accessToken}` } };
    case 'introspect':
      return { ...base, url: `${c.issuer}/o/introspect/`, method: 'POST', headers: c.form, body: `token=${encodeURIComponent(c.ws.accessToken)}` };
    case 'client_credentials':
      return { ...base, url: `${c.issuer}/o/token/`, method: 'POST', headers: c.form, body: 'grant_type=client_credentials&scope=read' };
    case 'password':
    case 'login_under_load':
      return { ...base, connections: test === 'password' ? CONNECTIONS : 2, url: `${c.issuer}/o/token/`, method: 'POST', headers: c.form, body: new URLSearchParams({ grant_type: 'password', username: c.ws.username, password: c.ws.password, scope: 'read' }).toString() };
    case 'refresh': {
      const pool = (await issue(c.config, c.d, c.ws.clientId, c.userId, POOL)).map((t) => t.refreshToken);
      return { ...base, url: `${c.issuer}/o/token/`, method: 'POST', headers: c.form, nextBody: () => { const t = pool.pop(); return t && `grant_type=refresh_token&refresh_token=${encodeURIComponent(t)}`; } };
    }
    case 'code': {
      const pool = await issueCodes(c.config, c.d, c.ws.clientId, c.userId, c.ws.redirectUri, POOL);
      return { ...base, url: `${c.issuer}/o/token/`, method: 'POST', headers: c.form, nextBody: () => { const code = pool.pop(); return code && `grant_type=authorization_code&code=${encodeURIComponent(code)}&redirect_uri=${encodeURIComponent(c.ws.redirectUri)}`; } };
    }
    default:
      throw new Error(`unknown BENCH_TESTS entry: ${test}`);
  }
}

function prefixed(prefix: string, o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}

/** The same test against DOT: its applications are one per grant type (DOT allows one each). */
async function dotSpecFor(test: string, dot: DotSystem): Promise<LoadSpec> {
  const base = { connections: CONNECTIONS, durationSeconds: DURATION };
  const form = (app: { client_id: string; client_secret: string }) => ({ 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(app.client_id)}:${encodeURIComponent(app.client_secret)}`).toString('base64') });
  const ws = dot.ws;
  switch (test) {
    case 'userinfo':
      return { ...base, url: `${dot.baseUrl}/api/v2/o/userinfo/`, headers: { authorization: `Bearer ${ws.access_token}` } };
    case 'introspect':
      return { ...base, url: `${dot.baseUrl}/o/introspect/`, method: 'POST', headers: form(ws.code), body: `token=${encodeURIComponent(ws.access_token)}` };
    case 'client_credentials':
      return { ...base, url: `${dot.baseUrl}/o/token/`, method: 'POST', headers: form(ws.client_credentials), body: 'grant_type=client_credentials&scope=read' };
    case 'password':
    case 'login_under_load':
      return { ...base, connections: test === 'password' ? CONNECTIONS : 2, url: `${dot.baseUrl}/o/token/`, method: 'POST', headers: form(ws.password), body: new URLSearchParams({ grant_type: 'password', username: ws.username, password: ws.password_value, scope: 'read' }).toString() };
    case 'refresh': {
      const pool = await dot.pool('refresh', POOL);
      return { ...base, url: `${dot.baseUrl}/o/token/`, method: 'POST', headers: form(ws.code), nextBody: () => { const t = pool.pop(); return t && `grant_type=refresh_token&refresh_token=${encodeURIComponent(t)}`; } };
    }
    case 'code': {
      const pool = await dot.pool('code', POOL);
      return { ...base, url: `${dot.baseUrl}/o/token/`, method: 'POST', headers: form(ws.code), nextBody: () => { const c = pool.pop(); return c && `grant_type=authorization_code&code=${encodeURIComponent(c)}&redirect_uri=${encodeURIComponent(ws.redirect_uri)}`; } };
    }
    default:
      throw new Error(`unknown BENCH_TESTS entry: ${test}`);
  }
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

/** A machine busier than this before the run (busy share of all CPUs over 2 s) gets its figures flagged. */
const BUSY_BEFORE = 0.25;

function report(r: { rows: Row[]; idle: Record<string, number>; loaded: Record<string, number>; machine: Array<{ size: number; load1: number; busy: number }>; ferretVersion: string; indexed: boolean; dotDatabase?: string; dotWorker?: string; dotFailure?: string; loadBefore: number; busyBefore: number }) {
  const cpus = os.cpus();
  const lines: string[] = [];
  lines.push(`# Benchmark ${new Date().toISOString()}`, '');
  lines.push(`Machine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, FerretDB ${r.ferretVersion} (${r.indexed ? '_id lookups use the index' : 'UNPATCHED: _id lookups scan'}).`);
  lines.push(`Settings: ${ROUNDS} round(s) × ${DURATION} s per run, ${CONNECTIONS} connections, autocannon; medians over rounds; UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 'default'}; WORKERS=${process.env.WORKERS ?? '1 (default)'}; SQLite synchronous=${process.env.BENCH_FERRETDB_SYNC ?? 'FULL (default)'}${process.env.BENCH_FERRETDB_PRAGMA ? `, ${process.env.BENCH_FERRETDB_PRAGMA}` : ''}.`);
  lines.push(`Machine before the run: ${Math.round(r.busyBefore * 100)}% busy over 2 s, 1-min load average ${r.loadBefore.toFixed(1)} (${cpus.length} CPUs); during the rounds (1-min load average / busy share of all CPUs, the benchmark included): ${r.machine.map((m) => `${m.load1.toFixed(1)}/${Math.round(m.busy * 100)}%`).join(', ')}.`);
  if (r.busyBefore > BUSY_BEFORE) {
    lines.push(`**BUSY MACHINE: other work was running before the benchmark started (${Math.round(r.busyBefore * 100)}% of ${cpus.length} CPUs busy). Every figure below is low and noisy; compare CPU per request and same-round ratios only, or run again on a quiet machine.**`);
  }
  if (r.dotFailure) lines.push(`DOT: not measured — it could not be started (${r.dotFailure}). Run bash scripts/setup-bench-dot.sh.`);
  lines.push(`Idle RSS: provider node ${r.idle.node} MB + FerretDB ${r.idle.ferretdb} MB (bare Express ${r.idle.baseline} MB); after the run: node ${r.loaded.node} MB, FerretDB ${r.loaded.ferretdb} MB.`);
  if (r.dotDatabase) lines.push(`DOT: Django OAuth Toolkit 3.4.1 on gunicorn (2 workers, ${r.dotWorker}) + ${r.dotDatabase}; idle RSS gunicorn (master + workers) ${r.idle.dot_gunicorn} MB${r.idle.dot_postgresql ? ` + PostgreSQL (all processes) ${r.idle.dot_postgresql} MB` : ''}.`);
  lines.push('');
  const dotHead = r.dotDatabase ? ' DOT rps | DOT p50 ms | DOT p99 ms | DOT CPU s/1k req | ours / DOT |' : '';
  lines.push(`| stored tokens | test | rps | p50 ms | p99 ms | non-2xx | CPU s/1k req: node | FerretDB |${dotHead} bare Express rps | ours / bare |`);
  lines.push(`|---|---|---|---|---|---|---|---|${r.dotDatabase ? '---|---|---|---|---|' : ''}---|---|`);
  for (const row of r.rows) {
    const rps = median(row.ours.map((x) => x.rps));
    const cpuPer = (k: string) => median(row.ours.map((x) => (x.cpu[k] ?? NaN) / Math.max(1, x.requests - x.non2xx) * 1000));
    const baseRps = row.base?.length ? median(row.base.map((x) => x.rps)) : NaN;
    let dotCells = '';
    if (r.dotDatabase) {
      const d = row.dot ?? [];
      const dotRps = median(d.map((x) => x.rps));
      const dotCpu = median(d.map((x) => Object.values(x.cpu).reduce((a, b) => a + b, 0) / Math.max(1, x.requests - x.non2xx) * 1000));
      dotCells = ` ${fmt(dotRps)} | ${fmt(median(d.map((x) => x.p50)), 1)} | ${fmt(median(d.map((x) => x.p99)), 1)} | ${fmt(dotCpu, 2)} | ${Number.isFinite(dotRps) && dotRps > 0 ? fmt(rps / dotRps, 2) + '×' : ''} |`;
    }
    lines.push(`| ${row.size.toLocaleString('en')} | ${row.test} | ${fmt(rps)} | ${fmt(median(row.ours.map((x) => x.p50)), 1)} | ${fmt(median(row.ours.map((x) => x.p99)), 1)} | ${row.ours.reduce((a, x) => a + x.non2xx, 0)} | ${fmt(cpuPer('node'), 2)} | ${fmt(cpuPer('ferretdb'), 2)} |${dotCells} ${fmt(baseRps)} | ${Number.isFinite(baseRps) ? fmt(rps / baseRps, 2) + '×' : ''} |`);
    if (row.extra?.userinfo_rps) {
      const dotUi = row.extra.dot_userinfo_rps ? ` ${fmt(median(row.extra.dot_userinfo_rps))} | | ${fmt(median(row.extra.dot_userinfo_p99!), 1)} | | |` : r.dotDatabase ? ' | | | | |' : '';
      lines.push(`| ${row.size.toLocaleString('en')} | ↳ userinfo meanwhile | ${fmt(median(row.extra.userinfo_rps))} | | ${fmt(median(row.extra.userinfo_p99!), 1)} | | | |${dotUi} | |`);
    }
  }
  const byTest = new Map<string, Row[]>();
  for (const row of r.rows) byTest.set(row.test, [...(byTest.get(row.test) ?? []), row]);
  const flat: string[] = [];
  for (const [test, rs] of byTest) {
    if (rs.length < 2) continue;
    const first = median(rs[0].ours.map((x) => x.p50));
    const last = median(rs[rs.length - 1].ours.map((x) => x.p50));
    flat.push(`${test} ${fmt(last / first, 2)}×`);
  }
  if (flat.length) lines.push('', `p50 latency at ${SIZES.at(-1)!.toLocaleString('en')} stored tokens relative to ${SIZES[0].toLocaleString('en')}: ${flat.join(', ')}.`);
  const text = lines.join('\n') + '\n';
  process.stdout.write('\n' + text);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${stamp}.md`), text);
  fs.writeFileSync(path.join(dir, `${stamp}.json`), JSON.stringify({ settings: { ROUNDS, DURATION, CONNECTIONS, SIZES, TESTS, POOL, DOT }, ...r }, null, 2));
  log(`written to bench/results/${stamp}.md`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
