// GET /healthz — liveness: 200 when the database answers a ping within two seconds, 503 otherwise.
// GET /readyz  — readiness: additionally the schema migrations are applied and the process is not
// shutting down; load balancers and orchestrators should route traffic on this one.
import type { Request, Response } from 'express';
import type { Database } from '../../db/connect';
import { LATEST_MIGRATION, pingDatabase, schemaLevel } from '../../store/schema-status';
import type { Lifecycle } from '../../kernel/lifecycle';

const TIMEOUT_MS = 2000;

function within<T>(p: Promise<T>): Promise<T> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref());
  return Promise.race([p, timeout]);
}

export function healthHandler(db: Database) {
  return async (_req: Request, res: Response) => {
    try {
      await within(pingDatabase(db));
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', database: 'unreachable' });
    }
  };
}

export function readinessHandler(db: Database, lifecycle: Lifecycle) {
  return async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    if (lifecycle.draining) return void res.status(503).json({ status: 'draining', database: 'not checked', migrations: 'not checked' });
    let level: number;
    try {
      level = await within(schemaLevel(db));
    } catch {
      return void res.status(503).json({ status: 'unavailable', database: 'unreachable', migrations: 'unknown' });
    }
    if (level < LATEST_MIGRATION) return void res.status(503).json({ status: 'unavailable', database: 'ok', migrations: `${level} of ${LATEST_MIGRATION} applied` });
    res.json({ status: 'ready', database: 'ok', migrations: `${level} of ${LATEST_MIGRATION} applied` });
  };
}
