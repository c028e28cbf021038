// /admin/audit/ — the audit log: who did what to which object, and when; filterable by event,
// user, client and date, paged, each entry as a sentence with its JSON detail behind a disclosure.
import { Router, type Request, type Response } from 'express';
import type { PageDeps } from '../../kit/pages';
import { auditEventChoices, auditLabel, describeAudit } from '../../views/audit-descriptions';
import { tr } from '../../middleware/language';
import { AUDIT_PAGE_SIZE, auditFilters, auditQuery, pageHref } from './audit-query';

export function auditRoutes(deps: PageDeps) {
  const router = Router();
  router.get('/audit/', async (req: Request, res: Response) => {
    const filters = auditFilters(req.query as Record<string, unknown>);
    const query = auditQuery(filters);
    const { entries, hasNext } = await deps.services.audit.page(query, filters.page, AUDIT_PAGE_SIZE);
    const t = tr(res);
    res.render('admin/audit.njk', {
      section: 'audit',
      filters,
      events: auditEventChoices(t, res.locals.lang ?? 'en'),
      filtered: Object.keys(query).length > 0,
      entries: entries.map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action,
        label: auditLabel(t, e.action),
        sentence: describeAudit(t, e),
        target: e.target,
        detail: e.detail && Object.keys(e.detail).length ? JSON.stringify(e.detail, null, 2) : '',
      })),
      firstIndex: (filters.page - 1) * AUDIT_PAGE_SIZE + 1,
      prevHref: filters.page > 1 ? pageHref(filters, filters.page - 1) : undefined,
      nextHref: hasNext ? pageHref(filters, filters.page + 1) : undefined,
    });
  });
  return router;
}
