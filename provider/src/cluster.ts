// WORKERS > 1: one primary process and N HTTP workers (node:cluster). The primary owns what must
// run once — the data-dir lock, the embedded FerretDB, the sweeper, the directory sync, the mail
// worker, the signing key's creation — and forks workers that each run the Express app on the
// shared PORT (the primary hands connections out round-robin). Nothing a worker keeps in memory
// decides access: tokens are checked in the database on every request, and the profile/client
// caches are the ones separate instances already have (docs/performance.md, "Worker processes").
// SIGTERM/SIGINT: every worker drains as a single process does, then the primary stops the jobs
// and the database and exits 0 (1 if a worker had to cut requests).
import cluster, { type Worker } from 'node:cluster';
import { ConfigError, type Config } from './kernel/config';
import type { Logger } from './kernel/log';
import { createLogger, defaultDestination } from './kernel/log';
import { connectDatabase } from './db/connect';
import { createServices } from './domain/services';
import { answerClusterMetrics, instrumentDatabase, serveClusterMetrics } from './kernel/metrics';
import { startBackgroundJobs, startProviderServer } from './server';

const RESTART_DELAY_MS = 1000;

type WorkerMessage = { type: 'listening'; url: string; port: number } | { type: 'failed'; message: string; exitCode: number } | { type: 'stopped'; inFlight: number; forced: number };

export interface Primary {
  url: string;
  /** The next step for a fresh install (no administrator yet), else undefined. */
  firstRunHint(): Promise<string | undefined>;
  /** Every worker drains (SIGTERM); then the jobs and the database connection stop. Sums the workers' figures. */
  shutdown(timeoutMs: number): Promise<{ inFlight: number; forced: number }>;
}

/**
 * Starts the background jobs and `config.WORKERS` HTTP workers; resolves once every worker
 * listens. A worker that fails to start (port in use, database refused) fails the start.
 */
export async function startPrimary(config: Config, log: Logger, databaseUrl: string): Promise<Primary> {
  const db = await connectDatabase(databaseUrl, config.MONGO_DB, { clientOptions: { monitorCommands: config.DB_COMMAND_METRICS } });
  if (config.DB_COMMAND_METRICS) instrumentDatabase(db.client);
  const services = createServices(config, db);
  // Created here, once: N workers starting together must not each generate a first key.
  await services.oidc.keys.ensureKey();
  const jobs = await startBackgroundJobs(config, services, db, log).catch(async (err) => {
    await db.close();
    throw err;
  });
  serveClusterMetrics();
  cluster.setupPrimary({ silent: false });

  let stopping = false;
  const totals = { inFlight: 0, forced: 0 };
  const fork = (): Promise<{ url: string }> =>
    new Promise((resolve, reject) => {
      // The database the primary resolved (MONGO_URL, or its embedded FerretDB) is the workers' MONGO_URL.
      const worker = cluster.fork({ MONGO_URL: databaseUrl });
      let started = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m?.type === 'listening') (started = true), resolve({ url: m.url });
        else if (m?.type === 'stopped') (totals.inFlight += Math.max(0, m.inFlight)), (totals.forced += Math.max(0, m.forced));
        else if (m?.type === 'failed') reject(Object.assign(new Error(m.message), { exitCode: m.exitCode }));
      });
      worker.once('exit', (code, signal) => {
        if (!started) return reject(Object.assign(new Error(`worker ${worker.id} exited while starting (${signal ?? code})`), { exitCode: 1 }));
        if (stopping) return;
        // A worker that dies (out of memory, a bug) is replaced; the others keep serving meanwhile.
        log.error({ event: 'worker_exited', worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: RESTART_DELAY_MS }, `worker ${worker.id} exited; starting another in ${RESTART_DELAY_MS} ms`);
        replace();
      });
    });

  // Tried again every RESTART_DELAY_MS until a replacement listens (the database may be restarting too).
  const replace = () =>
    setTimeout(() => {
      if (stopping) return;
      fork().then(
        () => log.warn({ event: 'worker_restarted' }, 'worker replaced'),
        (err) => {
          log.error({ event: 'worker_restart_failed', reason: (err as Error).message, retryInMs: RESTART_DELAY_MS }, 'a replacement worker failed to start; trying again');
          replace();
        },
      );
    }, RESTART_DELAY_MS).unref();

  const stopWorkers = async (timeoutMs: number): Promise<number> => {
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    let killed = 0;
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.process.exitCode !== null) return resolve();
            // Past the workers' own drain deadline, a worker that still runs is killed.
            const kill = setTimeout(() => w.process.kill('SIGKILL'), timeoutMs).unref();
            w.once('exit', (code, signal) => {
              clearTimeout(kill);
              if (signal) killed++;
              resolve();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
    return killed;
  };

  let url: string;
  try {
    const started = await Promise.all(Array.from({ length: config.WORKERS }, () => fork()));
    url = started[0].url;
  } catch (err) {
    stopping = true;
    await stopWorkers(5000);
    await jobs.stop();
    await db.close();
    throw err;
  }

  return {
    url,
    firstRunHint: () => services.firstRun.hint(),
    shutdown: async (timeoutMs) => {
      stopping = true;
      const killed = await stopWorkers(timeoutMs + 5000);
      await jobs.stop();
      await db.close();
      return { inFlight: totals.inFlight, forced: totals.forced + killed };
    },
  };
}

/** A worker: the HTTP server alone, on the database the primary resolved. */
export async function runWorker(config: Config): Promise<void> {
  const id = cluster.worker?.id ?? 0;
  // Every line a worker writes says which one (access log included).
  const log = createLogger(config.LOG_LEVEL, defaultDestination(config.LOG_FORMAT)).child({ worker: id });
  const send = (m: WorkerMessage) => process.send?.(m);
  answerClusterMetrics();
  // Signals count from the first moment: one during start-up stops the worker once it listens.
  let pending: string | undefined;
  let onSignal = (reason: string) => void (pending ??= reason);
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  // The primary is gone (killed): nobody supervises this worker any more.
  process.on('disconnect', () => onSignal('primary exited'));
  let provider;
  try {
    provider = await startProviderServer(config, log, config.MONGO_URL ?? '', undefined, { jobs: false });
  } catch (err) {
    const e = err as Error;
    const exitCode = err instanceof ConfigError ? 2 : 1;
    // The primary reports it (main.ts exits with it); only an orphaned worker says it itself.
    if (process.connected) send({ type: 'failed', message: e.message, exitCode });
    else console.error(e.message);
    process.exit(exitCode);
  }
  send({ type: 'listening', url: provider.url, port: provider.port });

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) {
      // As in a single process: a second Ctrl-C (or the primary gone while draining) means "now".
      if (reason === 'SIGINT' || reason === 'primary exited') process.exit(1);
      return;
    }
    stopping = true;
    log.info({ reason, timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, 'worker shutting down: finishing requests in flight');
    const { inFlight, forced } = await provider.shutdown(config.SHUTDOWN_TIMEOUT_SECONDS * 1000).catch((err) => {
      log.error({ err: String(err) }, 'shutdown failed');
      return { inFlight: -1, forced: -1 };
    });
    log.info({ event: 'worker_stopped', inFlightAtSignal: inFlight, forced }, `worker ${id} stopped (${inFlight} request(s) were in flight, ${forced} cut)`);
    // Delivered before exiting: the primary's shutdown line sums the workers' figures.
    await new Promise<void>((resolve) => (process.send && process.connected ? process.send({ type: 'stopped', inFlight, forced } satisfies WorkerMessage, undefined, {}, () => resolve()) : resolve()));
    await new Promise<void>((resolve) => {
      try {
        log.flush(() => resolve());
      } catch {
        resolve();
      }
    });
    process.exit(forced !== 0 ? 1 : 0);
  };
  // The primary forwards SIGTERM; Ctrl-C in a terminal reaches every process of the group at once.
  onSignal = (reason) => void stop(reason);
  if (pending) onSignal(pending);
}

export const isWorkerProcess = (): boolean => cluster.isWorker;
