// Starts the provider over an already-connected database: used by main.ts and by tests.
// Shutdown is graceful: stop accepting, let requests in flight finish (bounded), then close.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './kernel/config';
import { connectDatabase, type Database } from './db/connect';
import { createApp } from './http/app';
import { Sweeper } from './jobs/sweeper';
import { DirectorySyncJob } from './jobs/directory-sync';
import type { Logger } from './kernel/log';
import { instrumentDatabase } from './kernel/metrics';
import type { Clock } from './kernel/clock';
import { createServices, type Services } from './domain/services';
import { ConfigError } from './kernel/config';
import { AppError } from './kernel/errors';
import { mailSettings } from './domain/mail/settings';
import { createMailSender } from './domain/mail/sender';
import { MailWorker } from './jobs/mail-worker';

export interface RunningProvider {
  url: string;
  port: number;
  services: Services;
  /** The next step for a fresh install (no administrator yet), else undefined. */
  firstRunHint(): Promise<string | undefined>;
  /** Stops at once (tests): open connections are cut. */
  close(): Promise<void>;
  /**
   * Graceful stop: /readyz turns 503, the listener closes, idle keep-alive connections close,
   * requests in flight get their responses (with `Connection: close`) for up to `timeoutMs`;
   * then the rest are cut and the database closed.
   */
  shutdown(timeoutMs: number): Promise<{ inFlight: number; forced: number }>;
}

export class PortInUseError extends Error {
  readonly code = 'port_in_use';
}

/** The background jobs of one deployment: expiry sweeps, the directory sync, the mail queue. */
export interface BackgroundJobs {
  stop(): Promise<void>;
}

/**
 * Starts the sweeper, the directory sync (LDAP_URL) and the mail worker (SMTP_URL). One provider
 * process runs them; with WORKERS > 1 only the cluster's primary does (cluster.ts), the workers
 * serve HTTP. Leases keep several instances' jobs apart anyway.
 */
export async function startBackgroundJobs(config: Config, services: Services, db: Database, log: Logger): Promise<BackgroundJobs> {
  const sweeper = new Sweeper(db.db, { intervalSeconds: config.SWEEP_INTERVAL_SECONDS, batchSize: config.SWEEP_BATCH_SIZE, auditRetentionDays: config.AUDIT_RETENTION_DAYS }, log, [
    // The refresh grace's sealed pair goes when the window ends (at the next sweep after it).
    { name: 'refresh_token_seals', run: () => services.tokens.dropEndedSeals(config.REFRESH_TOKEN_GRACE_SECONDS, { batch: config.SWEEP_BATCH_SIZE, rounds: 20 }) },
  ]);
  sweeper.start();
  // The directory sync on its schedule (jobs/directory-sync.ts), when LDAP_URL is set.
  const directorySync = new DirectorySyncJob(services, log);
  directorySync.start();
  // Queued mail goes out beside them too (jobs/mail-worker.ts), when SMTP_URL is set.
  let mailWorker: MailWorker | undefined;
  const stop = async () => {
    await mailWorker?.stop();
    await sweeper.stop();
    await directorySync.stop();
  };
  try {
    mailWorker = startMailWorker(config, services, log);
  } catch (err) {
    // A bad SMTP_URL or MAIL_FROM: nothing keeps running.
    await stop();
    throw err;
  }
  return { stop };
}

export async function startProviderServer(config: Config, log: Logger, mongoUrl: string, existingDb?: Database, opts: { clock?: Clock; jobs?: boolean } = {}): Promise<RunningProvider> {
  const db = existingDb ?? (await connectDatabase(mongoUrl, config.MONGO_DB, { clientOptions: { monitorCommands: config.DB_COMMAND_METRICS } }));
  if (config.DB_COMMAND_METRICS) instrumentDatabase(db.client);
  const services = createServices(config, db, opts);
  // The first start generates the ID-token signing key; every start checks it can be read.
  await services.oidc.keys.ensureKey();
  const provider = createApp(services, log);
  // One teardown for every way out: a failed start (bad SMTP settings, port taken) and close/shutdown.
  let jobs: BackgroundJobs | undefined;
  let closed: Promise<void> | undefined;
  const closeRest = () =>
    (closed ??= (async () => {
      await jobs?.stop();
      await provider.close();
      if (!existingDb) await db.close();
    })());
  if (opts.jobs !== false) {
    try {
      // Expiry housekeeping, directory sync and mail run beside the HTTP server (one set per instance).
      jobs = await startBackgroundJobs(config, services, db, log);
    } catch (err) {
      await closeRest();
      throw err;
    }
  }
  const server = http.createServer(provider.app);
  server.headersTimeout = 20000;
  server.requestTimeout = 30000;

  let inFlight = 0;
  let draining = false;
  let listenerClosing = false;
  let drained: (() => void) | undefined;
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight--;
      if (listenerClosing) {
        server.closeIdleConnections();
        if (inFlight === 0) drained?.();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new PortInUseError(`Port ${config.PORT} on ${config.HOST} is already in use (another provider running?): stop that process or set PORT to a free port.`));
      } else if (err.code === 'EACCES') {
        reject(new PortInUseError(`Not allowed to listen on port ${config.PORT} on ${config.HOST}: set PORT to 1024 or above, or grant the capability to bind it.`));
      } else reject(err);
    });
    server.listen(config.PORT, config.HOST, () => resolve());
  }).catch(async (err) => {
    await closeRest();
    throw err;
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${config.HOST}:${port}`,
    port,
    services,
    firstRunHint: () => services.firstRun.hint(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await closeRest();
    },
    shutdown: async (timeoutMs) => {
      draining = true;
      services.lifecycle.draining = true;
      const atSignal = inFlight;
      const deadline = Date.now() + timeoutMs;
      // Closing the listener at once would reset connections still in the kernel's accept queue,
      // and closing "idle" connections would cut requests whose bytes are not parsed yet: both
      // were sent before the signal. So keep serving (with Connection: close) for a moment first.
      const drainDelayMs = Math.min(config.SHUTDOWN_DRAIN_DELAY_SECONDS * 1000, timeoutMs);
      if (drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
      listenerClosing = true;
      const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let forced = 0;
      if (inFlight > 0) {
        const allDone = new Promise<void>((resolve) => (drained = resolve));
        const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())).unref());
        if ((await Promise.race([allDone, timedOut])) === 'timeout') {
          forced = inFlight;
          log.warn({ event: 'shutdown_forced', requests: forced, timeoutSeconds: timeoutMs / 1000 }, `cutting ${forced} request(s) still running after ${timeoutMs / 1000} s`);
        }
      }
      server.closeAllConnections();
      await listenerClosed;
      await closeRest();
      return { inFlight: atSignal, forced };
    },
  };
}

/** The mail worker (jobs/mail-worker.ts) when SMTP_URL is set; a bad SMTP_URL/MAIL_FROM stops the start like any setting. */
function startMailWorker(config: Config, services: Services, log: Logger): MailWorker | undefined {
  let settings;
  try {
    settings = mailSettings(config);
  } catch (err) {
    if (err instanceof AppError) throw new ConfigError(`Invalid configuration: ${err.message}`);
    throw err;
  }
  if (!settings) return undefined;
  const worker = new MailWorker({ config, clock: services.clock, log, outbox: services.mail.outbox, sender: createMailSender(settings) });
  worker.start();
  log.info({ event: 'mail_worker_started', smtp: settings.description }, `mail goes out through ${settings.description}`);
  return worker;
}
