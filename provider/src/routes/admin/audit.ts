// /admin/audit/ — the audit log: who did what to which object, and when.
import { Router, type Request, type Response } from 'express';
import type { PageDeps } from './support';

export function auditRoutes(deps: PageDeps) {
  const router = Router();
  router.get('/audit/', async (_req: Request, res: Response) => {
    const entries = await deps.services.audit.recent(200);
    res.render('admin/audit.njk', {
      section: 'audit',
      entries: entries.map((e) => ({ at: e.at, actor: e.actor, action: e.action, target: e.target, detail: e.detail && Object.keys(e.detail).length ? JSON.stringify(e.detail) : '' })),
    });
  });
  return router;
}
