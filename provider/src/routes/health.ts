// GET /healthz — 200 when the database answers a ping within two seconds, 503 otherwise.
import type { Request, Response } from 'express';
import type { Database } from '../db/connect';

export function healthHandler(db: Database) {
  return async (_req: Request, res: Response) => {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
    try {
      await Promise.race([db.db.command({ ping: 1 }), timeout]);
      res.set('Cache-Control', 'no-store').json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable', database: 'unreachable' });
    }
  };
}
