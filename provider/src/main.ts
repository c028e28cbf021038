// `npm start` / `node provider/dist/main.js`: configuration → database (MONGO_URL, or the embedded
// FerretDB, supervised) → HTTP server. SIGTERM/SIGINT shut down gracefully: keep serving for
// SHUTDOWN_DRAIN_DELAY_SECONDS (readiness 503), stop accepting, finish the requests in flight (all
// within SHUTDOWN_TIMEOUT_SECONDS), close the database, exit 0.
import { loadConfig, ConfigError } from './kernel/config';
import { resolveDatabase } from './db/resolve';
import { EmbeddedDbError, type SupervisorEvent } from './db/embedded-ferretdb';
import { DatabaseUnavailableError, redactUrl } from './db/connect';
import { createLogger, defaultDestination, type Logger } from './kernel/log';
import { providerVersion } from './kernel/version';
import { metrics } from './kernel/metrics';
import { startProviderServer, PortInUseError } from './server';
import { acquireDataDirLock, DataDirInUseError } from './db/data-dir-lock';
import { isWorkerProcess, runWorker, startPrimary } from './cluster';

const USAGE = `Usage: node provider/dist/main.js   (or: npm start)

Runs the HRM SSO provider. It takes no arguments: every setting is an environment variable
(see the README's configuration reference, or .env.example). Without MONGO_URL it runs an
embedded database in DATA_DIR (default .data/).

  --help, -h       this text
  --version, -V    the version

Administration (users, clients, tokens, backups) is the CLI: npx hrm-sso --help
`;

/** --help / --version print and exit; anything else on the command line is a mistake, not a start. */
function handleArguments(args: string[]): void {
  if (args.length === 0) return;
  if (args.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (args.some((a) => a === '--version' || a === '-V')) {
    process.stdout.write(`${providerVersion()}\n`);
    process.exit(0);
  }
  fail(`Unknown argument ${JSON.stringify(args[0])}: the provider takes no arguments (settings are environment variables); try --help.`, 2);
}

/** Exit codes: 1 = could not start or run, 2 = configuration. */
async function main() {
  handleArguments(process.argv.slice(2));
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message, 2);
    throw err;
  }
  // WORKERS > 1: this is one of the HTTP workers the primary forked (cluster.ts).
  if (isWorkerProcess()) return runWorker(config);
  // libuv reads this when its thread pool first starts (scrypt, fs): nothing has used it yet here.
  process.env.UV_THREADPOOL_SIZE = String(config.UV_THREADPOOL_SIZE);
  const log = createLogger(config.LOG_LEVEL, defaultDestination(config.LOG_FORMAT));
  // The embedded database belongs to one provider at a time (db/data-dir-lock.ts).
  let releaseLock = () => undefined as void;
  if (!config.MONGO_URL) {
    try {
      releaseLock = acquireDataDirLock(config.DATA_DIR, config.PORT);
    } catch (err) {
      if (err instanceof DataDirInUseError) return fail(err.message, 1);
      throw err;
    }
  }
  let database;
  try {
    database = await resolveDatabase(config, { install: true, publish: true, supervise: true, onEvent: (e) => logSupervisor(log, e) });
  } catch (err) {
    if (err instanceof EmbeddedDbError) return fail(err.message, 1);
    throw err;
  }
  let provider: { url: string; firstRunHint(): Promise<string | undefined>; shutdown(timeoutMs: number): Promise<{ inFlight: number; forced: number }> };
  try {
    provider = config.WORKERS > 1 ? await startPrimary(config, log, database.url) : await startProviderServer(config, log, database.url);
  } catch (err) {
    await database.stop();
    releaseLock();
    if (err instanceof ConfigError) return fail(err.message, 2);
    if (err instanceof DatabaseUnavailableError || err instanceof PortInUseError) return fail(err.message, 1);
    const exitCode = (err as { exitCode?: number }).exitCode;
    if (exitCode) return fail(`A worker failed to start: ${(err as Error).message}`, exitCode);
    throw err;
  }
  log.info({ url: provider.url, issuer: config.issuer, version: providerVersion(), database: database.embedded ? 'embedded FerretDB' : redactUrl(database.url), workers: config.WORKERS }, `HRM provider listening on ${provider.url} (issuer ${config.issuer}${config.WORKERS > 1 ? `, ${config.WORKERS} worker processes` : ''})`);
  const nextStep = await provider.firstRunHint();
  if (nextStep) log.info({ event: 'first_run' }, nextStep);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) {
      // A second Ctrl-C means "now"; a repeated SIGTERM (some supervisors resend it) changes nothing.
      if (reason !== 'SIGINT') return log.info({ reason }, 'already shutting down');
      log.warn({ reason }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ reason, timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS }, 'shutting down: no new connections, finishing requests in flight');
    const { inFlight, forced } = await provider.shutdown(config.SHUTDOWN_TIMEOUT_SECONDS * 1000).catch((err) => {
      log.error({ err: String(err) }, 'shutdown failed');
      return { inFlight: -1, forced: -1 };
    });
    await database.stop();
    releaseLock();
    log.info({ event: 'shutdown_complete', inFlightAtSignal: inFlight, forced }, `stopped (${inFlight} request(s) were in flight, ${forced} cut)`);
    await new Promise<void>((resolve) => {
      try {
        log.flush(() => resolve());
      } catch {
        resolve();
      }
    });
    process.exit(forced > 0 ? 1 : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  watchParent(() => void stop('parent process exited'));
}

/**
 * Under `npm start`, npm forwards SIGTERM/SIGINT; if npm itself is killed (SIGKILL), this process
 * would be orphaned — so it watches its parent and shuts down when the parent is gone. Only then:
 * a provider started directly (systemd, Docker, a shell with nohup) must not depend on its parent.
 */
function watchParent(onGone: () => void) {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}

function logSupervisor(log: Logger, e: SupervisorEvent) {
  if (e.type === 'exited') log.error({ event: 'embedded_database_exited', pid: e.pid, code: e.code, signal: e.signal, restartInMs: e.restartInMs }, `embedded FerretDB exited; restarting in ${e.restartInMs} ms`);
  else if (e.type === 'restarted') {
    metrics.embeddedDbRestarts.inc();
    log.warn({ event: 'embedded_database_restarted', pid: e.pid, attempt: e.attempt }, 'embedded FerretDB restarted');
  } else log.error({ event: 'embedded_database_restart_failed', attempt: e.attempt, reason: e.message }, 'embedded FerretDB failed to restart; retrying');
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

main().catch((err) => {
  console.error(`Provider failed to start: ${(err as Error).message}`);
  process.exit(1);
});
