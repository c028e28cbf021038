// POST /admin/users/<id>/employment — the "Employment" form on the admin user page
// (views/admin/_employment.njk). Marking a user as left ends their access at once (hr/employment.ts).
import { Router, type Request, type Response } from 'express';
import type { UserDoc } from '../../../db/schema';
import { audit, errorMessage, field, me, type PageDeps } from '../../kit/pages';
import { tr } from '../../middleware/language';
import { userNotFound } from './admin-text';
import { requireCsrf } from '../../middleware/csrf';
import { changeEmployment, type EmploymentInput } from '../../../domain/hr/employment';
import { isoDate } from '../../../domain/hr/status';

const FORM_FIELDS: Record<keyof EmploymentInput, string> = {
  status: 'employment_status',
  leaveUntil: 'leave_until',
  leftAt: 'left_at',
  manager: 'manager',
  employeeNumber: 'employee_number',
  teams: 'teams',
  pictureUrl: 'picture_url',
  hrRoles: 'hr_roles',
};

export function employmentRoutes(deps: PageDeps) {
  const router = Router();
  const { db, users, tokens, userCache } = deps.services;

  router.post('/users/:id/employment', requireCsrf, async (req: Request, res: Response) => {
    const id = req.params.id;
    const user: UserDoc | null = typeof id === 'string' && id.length <= 100 ? await users.byId(id) : null;
    if (!user) return userNotFound(res);
    const t = tr(res);
    const back = `/admin/users/${encodeURIComponent(user._id)}/`;
    const input = Object.fromEntries(Object.entries(FORM_FIELDS).map(([k, name]) => [k, field(req, name, 2100)])) as EmploymentInput;
    // The form always sends every field; the dates only count with their status.
    if (input.status !== 'on_leave') delete input.leaveUntil;
    if (input.status !== 'left') delete input.leftAt;
    if (input.status === 'left' && user._id === me(res)._id) {
      return res.status(400).render('error.njk', { title: t('admin-users:employment.notChanged'), message: t('admin-users:employment.selfLeft'), backHref: back, backText: t('admin-users:employment.backToUser') });
    }
    try {
      const change = await changeEmployment(db, tokens, user, input);
      userCache.forget(user._id);
      if (change.accessEnded) await audit(deps, res, 'user.left', `user:${user.username}`, { userId: user._id, leftAt: isoDate(change.user.leftAt), tokensRevoked: change.accessEnded.tokensRevoked });
      if (change.rehired) await audit(deps, res, 'user.rehire', `user:${user.username}`, { userId: user._id });
      await audit(deps, res, 'user.employment', `user:${user.username}`, { userId: user._id, fields: change.fields, status: change.user.employmentStatus ?? 'active' });
      res.redirect(303, `${back}?notice=${change.accessEnded ? 'user-left' : 'employment-saved'}`);
    } catch (err) {
      // The domain's messages (one code, many sentences: which field, which value) stay in English.
      const message = errorMessage(err);
      if (!message) throw err;
      res.status(400).render('error.njk', { title: t('admin-users:employment.notSaved'), message, hint: t('admin-users:employment.nothingChanged'), backHref: back, backText: t('admin-users:employment.backToUser') });
    }
  });

  return router;
}
