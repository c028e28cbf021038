// The HR lifecycle API (docs/hr-lifecycle.md), mounted by app.ts with the other machine endpoints.
import { Router } from 'express';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { directoryRoutes } from './hr-directory';
import { STATUS_PATH, statusRoute } from './hr-status';

export function hrmApiRoutes(services: Services, log: Logger): Router {
  const router = Router();
  router.post(STATUS_PATH, ...statusRoute(services, log));
  router.all(STATUS_PATH, (_req, res) => { res.set('Allow', 'POST').status(405).json({ error: 'invalid_request', error_description: 'Use POST.' }); });
  router.use(directoryRoutes(services, log));
  return router;
}
