// GET /accounts/profile/ — the signed-in user's profile and "Connected apps": every client the
// user granted (or that holds live tokens for them), with scopes, first and last use, and a
// Revoke button that withdraws the consent and revokes the tokens at once.
import { Router, type Request, type Response } from 'express';
import { requireCsrf } from '../middleware/csrf';
import { formNonce, me, requireSignedIn, type PageDeps } from '../kit/pages';
import { tr } from '../middleware/language';

export interface ConnectedApp {
  clientId: string;
  name: string;
  scope: string[];
  firstUsedAt?: Date;
  lastUsedAt?: Date;
  activeTokens: number;
}

/** Consents plus clients still holding live tokens for the user (skip-authorization clients record no consent). */
export async function connectedApps(deps: PageDeps, userId: string, now = new Date()): Promise<ConnectedApp[]> {
  const { consents: consentStore, tokens, clients } = deps.services;
  // Plain finds, folded here: FerretDB v1 lacks $min/$max in $group.
  const [consents, { access: accessTokens, refresh: refreshTokens }] = await Promise.all([consentStore.forUser(userId), tokens.liveForUser(userId, now)]);
  const fold = (rows: Array<{ clientId: string; scope: string[]; createdAt: Date }>) => {
    const out = new Map<string, { _id: string; count: number; first: Date; last: Date; scopes: string[][] }>();
    for (const r of rows) {
      const g = out.get(r.clientId) ?? { _id: r.clientId, count: 0, first: r.createdAt, last: r.createdAt, scopes: [] };
      g.count += 1;
      if (r.createdAt < g.first) g.first = r.createdAt;
      if (r.createdAt > g.last) g.last = r.createdAt;
      g.scopes.push(r.scope);
      out.set(r.clientId, g);
    }
    return [...out.values()];
  };
  const access = fold(accessTokens);
  const refresh = fold(refreshTokens);
  const byClient = new Map<string, ConnectedApp>();
  const entry = (clientId: string) => {
    let e = byClient.get(clientId);
    if (!e) byClient.set(clientId, (e = { clientId, name: clientId, scope: [], activeTokens: 0 }));
    return e;
  };
  const earliest = (a?: Date, b?: Date) => (!a ? b : !b ? a : a < b ? a : b);
  const latest = (a?: Date, b?: Date) => (!a ? b : !b ? a : a > b ? a : b);
  for (const c of consents) {
    const e = entry(c.clientId);
    e.scope = [...new Set([...e.scope, ...c.scope])];
    e.firstUsedAt = earliest(e.firstUsedAt, c.createdAt);
    e.lastUsedAt = latest(e.lastUsedAt, c.lastUsedAt);
  }
  for (const row of [...access, ...refresh]) {
    const e = entry(row._id);
    if (access.includes(row)) e.activeTokens += row.count;
    e.scope = [...new Set([...e.scope, ...row.scopes.flat()])];
    e.firstUsedAt = earliest(e.firstUsedAt, row.first);
    e.lastUsedAt = latest(e.lastUsedAt, row.last);
  }
  const names = await clients.namesByIds([...byClient.keys()]);
  return [...byClient.values()]
    .filter((e) => names.has(e.clientId))
    .map((e) => ({ ...e, name: names.get(e.clientId)! }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Withdraws a user's grant to one client: consent, tokens and any unredeemed codes. */
export async function revokeConnection(deps: PageDeps, userId: string, clientId: string): Promise<{ consent: boolean; tokens: number }> {
  const { consents, tokens } = deps.services;
  const [consent, revoked] = await Promise.all([consents.withdraw(userId, clientId), tokens.revokeForUserAndClient(userId, clientId), tokens.invalidateCodes(userId, clientId)]);
  return { consent, tokens: revoked };
}

export function accountPageRoutes(deps: PageDeps) {
  const router = Router();
  const { clients } = deps.services;

  router.get('/accounts/profile/', requireSignedIn, formNonce, async (req: Request, res: Response) => {
    const user = me(res);
    const revokedId = typeof req.query.revoked === 'string' ? req.query.revoked : undefined;
    const t = tr(res);
    const revokedName = revokedId ? (await clients.byId(revokedId))?.name ?? t('account:profile.theApplication') : undefined;
    res.set('Cache-Control', 'no-store').render('account/profile.njk', {
      section: 'account',
      tab: 'profile',
      user,
      apps: await connectedApps(deps, user._id),
      notice: revokedName ? t('account:profile.revoked', { name: revokedName }) : undefined,
    });
  });

  router.post('/accounts/profile/revoke/', requireSignedIn, requireCsrf, async (req: Request, res: Response) => {
    const user = me(res);
    const clientId = typeof req.body?.client_id === 'string' ? req.body.client_id : '';
    const client = await clients.byId(clientId);
    if (!client) {
      const t = tr(res);
      return res.status(404).render('error.njk', {
        title: t('account:profile.appNotFoundTitle'),
        message: t('account:profile.appNotFoundMessage'),
        backHref: '/accounts/profile/',
        backText: t('account:profile.backToAccount'),
      });
    }
    const result = await revokeConnection(deps, user._id, client._id);
    await deps.services.audit.record(user.username, 'connection.revoke', `client:${client._id}`, { by: 'user', user: user.username, clientName: client.name, tokensRevoked: result.tokens, consentRemoved: result.consent });
    deps.log.info({ event: 'connection_revoked', userId: user._id, clientId: client._id, tokens: result.tokens }, 'user revoked a connected app');
    res.redirect(303, `/accounts/profile/?revoked=${encodeURIComponent(client._id)}`);
  });

  return router;
}
