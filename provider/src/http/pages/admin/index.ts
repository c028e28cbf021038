// The admin console under /admin/: admins only (403 page for other signed-in users, login
// redirect for anonymous visitors); every form is CSRF-protected and every action audited.
import { Router, type Request, type Response } from 'express';
import { auditRoutes } from './audit';
import { clientRoutes } from './clients';
import { formNonce, requireAdmin, type PageDeps } from '../../kit/pages';
import { tokenRoutes } from './tokens';
import { userRoutes } from './users';
import { employmentRoutes } from './hr';
import { connectSyncLocals } from './hr-sync';
import { twoFactorResetRoutes } from './two-factor-reset';
import { clientAppearanceRoutes } from './client-appearance';

export function adminRoutes(deps: PageDeps) {
  const admin = Router();
  admin.use(requireAdmin, formNonce);

  admin.get('/', async (_req: Request, res: Response) => {
    const s = deps.services;
    const [clients, { users, activeUsers }, accessTokens, lastAudit] = await Promise.all([s.clients.count(), s.users.counts(), s.tokens.countLive('access_tokens', {}, { now: new Date() }), s.audit.recent(5)]);
    res.render('admin/index.njk', { section: 'overview', counts: { clients, users, activeUsers, accessTokens }, lastAudit });
  });
  admin.use(connectSyncLocals(deps));
  admin.use(clientRoutes(deps));
  admin.use(userRoutes(deps));
  admin.use(employmentRoutes(deps));
  admin.use(tokenRoutes(deps));
  admin.use(auditRoutes(deps));
  admin.use(twoFactorResetRoutes(deps));
  admin.use(clientAppearanceRoutes(deps));

  const router = Router();
  router.use('/admin', admin);
  return router;
}
