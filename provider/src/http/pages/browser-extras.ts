// Account and admin pages (see the browser-experience issue): the user's profile and connected
// apps under /accounts/profile/, the admin console under /admin/.
import { Router } from 'express';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { accountPageRoutes } from './account';
import { adminRoutes } from './admin';

export function extraBrowserRoutes(services: Services, log: Logger) {
  const router = Router();
  const deps = { services, log };
  router.use(accountPageRoutes(deps));
  router.use(adminRoutes(deps));
  return router;
}
