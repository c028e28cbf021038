// /admin/tokens/ — live tokens per client and per user, and "revoke all" for either.
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../../middleware/csrf';
import { audit, type PageDeps } from '../../kit/pages';
import { tr } from '../../middleware/language';
import { adminNotice } from './admin-text';
import { presetLabels } from './client-words';

export function tokenRoutes(deps: PageDeps) {
  const router = Router();
  const { clients, users, tokens } = deps.services;

  router.get('/tokens/', async (req: Request, res: Response) => {
    const now = new Date();
    const [clientList, userList, accessByClient, refreshByClient, accessByUser, refreshByUser] = await Promise.all([
      clients.list(),
      users.list(),
      tokens.activeCountsByClient(now),
      tokens.liveCountsBy('refresh_tokens', 'clientId', now),
      tokens.liveCountsBy('access_tokens', 'userId', now),
      tokens.liveCountsBy('refresh_tokens', 'userId', now),
    ]);
    const labels = presetLabels(tr(res));
    res.render('admin/tokens.njk', {
      section: 'tokens',
      clients: clientList.map((c) => ({ id: c._id, name: c.name, presetLabel: labels[c.preset], access: accessByClient[c._id] ?? 0, refresh: refreshByClient[c._id] ?? 0 })),
      users: userList
        .map((u) => ({ id: u._id, username: u.username, name: u.name, active: u.active, access: accessByUser[u._id] ?? 0, refresh: refreshByUser[u._id] ?? 0 }))
        .filter((u) => u.access + u.refresh > 0),
      notice: adminNotice(req, res),
    });
  });

  router.post('/tokens/revoke-client', requireCsrf, async (req: Request, res: Response) => {
    const client = await clients.byId(req.body?.client_id);
    if (!client) {
      const t = tr(res);
      return res.status(404).render('error.njk', { title: t('admin-tokens:clientNotFound.title'), message: t('admin-tokens:clientNotFound.message'), backHref: '/admin/tokens/', backText: t('admin-tokens:clientNotFound.back') });
    }
    const revoked = await tokens.revokeForClient(client._id);
    await audit(deps, res, 'tokens.revoke_client', `client:${client._id}`, { name: client.name, tokensRevoked: revoked });
    res.redirect(303, '/admin/tokens/?notice=tokens-revoked');
  });

  return router;
}
