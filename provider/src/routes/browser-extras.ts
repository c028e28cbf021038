// Account and admin pages are added here (see the browser-experience issue).
import { Router } from 'express';
import type { Logger } from '../log';
import type { Services } from '../services';

export function extraBrowserRoutes(_services: Services, _log: Logger) {
  const router = Router();
  return router;
}
