// /accounts/sessions/ — where the user is signed in: one row per browser session, with sign-out
// for one of them or for all but this one.
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../middleware/csrf';
import { endOneSession, endOtherSessions, listSessions } from '../../store/browser-sessions';
import { field, me, requireSignedIn, type PageDeps } from '../kit/pages';
import { tr } from '../middleware/language';
import type { Translate } from '../../kernel/i18n/translator';

const NOTICES: Record<string, (t: Translate) => string> = {
  ended: (t) => t('account:sessions.notices.ended'),
  gone: (t) => t('account:sessions.notices.gone'),
  'others-ended': (t) => t('account:sessions.notices.othersEnded'),
};

export function accountSessionRoutes(deps: PageDeps) {
  const router = Router();
  const { db, audit } = deps.services;

  router.get('/accounts/sessions/', requireSignedIn, async (req: Request, res: Response) => {
    const user = me(res);
    const notice = typeof req.query.notice === 'string' && Object.hasOwn(NOTICES, req.query.notice) ? NOTICES[req.query.notice](tr(res)) : undefined;
    res.set('Cache-Control', 'no-store').render('account/sessions.njk', { section: 'account', tab: 'sessions', sessions: await listSessions(db, user._id, req.sessionID), notice });
  });

  router.post('/accounts/sessions/end/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    const id = field(req, 'session', 100);
    const ended = id ? await endOneSession(db, user._id, id) : false;
    if (ended) await audit.record(user.username, 'session.end', user.username, { by: 'user' });
    res.redirect(303, `/accounts/sessions/?notice=${ended ? 'ended' : 'gone'}`);
  });

  router.post('/accounts/sessions/end-others/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    const count = await endOtherSessions(db, user._id, req.sessionID);
    await audit.record(user.username, 'session.end_others', user.username, { sessionsEnded: count });
    res.redirect(303, '/accounts/sessions/?notice=others-ended');
  });

  return router;
}
