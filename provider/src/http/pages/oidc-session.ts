// Browser routes of the OpenID Connect layer: RP-initiated logout at /o/logout/ (DOT's path)
// and the signing-key page of the admin console.
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { requireCsrf } from '../middleware/csrf';
import { endSession } from '../middleware/current-user';
import { tr } from '../middleware/language';
import { SESSION_COOKIE } from '../middleware/session';
import { audit, checkbox, completeSubmission, errorMessage, field, formNonce, notFound, once, redirectUriList, requireAdmin } from '../kit/pages';
import { LOGOUT_PARAMS, postLogoutLocation, validateLogoutRequest, type LogoutRequest } from '../../domain/oidc/end-session';
import { SIGNING_ALGS, type SigningAlg } from '../../store/signing-keys';
import { translateKnown } from '../kit/known-messages';

// The validation's page sentences (domain/oidc/end-session.ts), in the reader's language.
const REFUSAL_KEYS = [
  'oidc:refused.invalidTitle',
  'oidc:refused.unknownClientTitle',
  'oidc:refused.unregisteredTitle',
  'oidc:refused.malformedParameter',
  'oidc:refused.parameterTooLong',
  'oidc:refused.foreignIdToken',
  'oidc:refused.clientMismatch',
  'oidc:refused.unknownClient',
  'oidc:refused.returnWithoutClient',
  'oidc:refused.unregisteredReturn',
] as const;

// The client store's refusals of these two lists (store/clients.ts, kernel/origins.ts).
const SETTINGS_ERROR_KEYS = [
  'oidc:clientLogout.errors.notAbsolute',
  'oidc:clientLogout.errors.fragment',
  'oidc:clientLogout.errors.scheme',
  'oidc:clientLogout.errors.originNotUrl',
  'oidc:clientLogout.errors.originHttps',
  'oidc:clientLogout.errors.originExact',
] as const;

export function oidcRoutes(services: Services, log: Logger) {
  const router = Router();
  const { oidc, clients, tokens, config } = services;

  const logoutDeps = { keys: oidc.keys, clients, get issuer() { return config.issuer; } };
  const refuse = (res: Response, title: string, message: string) => {
    const t = tr(res);
    res.status(400).set('Cache-Control', 'no-store').render('error.njk', { title: translateKnown(t, title, REFUSAL_KEYS), message: translateKnown(t, message, REFUSAL_KEYS), hint: t('oidc:refused.hint') });
  };

  /** Ends the provider session and, if the client asks for it, revokes its tokens for the user. */
  async function logout(req: Request, res: Response, r: LogoutRequest) {
    const userId = res.locals.currentUser?._id ?? r.hint?.sub;
    if (req.session?.userId) {
      await endSession(req);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.locals.currentUser = undefined;
    }
    let revoked = 0;
    if (userId && r.client?.revokeTokensOnLogout) revoked = await tokens.revokeForUserAndClient(userId, r.client._id);
    log.info({ event: 'rp_logout', clientId: r.client?._id, userId, tokensRevoked: revoked }, 'signed out at the request of an application');
    const location = postLogoutLocation(r);
    if (location) return res.set('Cache-Control', 'no-store').redirect(303, location);
    res.set('Cache-Control', 'no-store').render('logged-out.njk', { clientName: r.client?.name });
  }

  async function start(req: Request, res: Response, raw: Record<string, unknown>) {
    const v = await validateLogoutRequest(raw, logoutDeps);
    if (!v.ok) {
      log.warn({ event: 'rp_logout_refused', reason: v.message }, `logout request refused: ${v.title}`);
      return refuse(res, v.title, v.message);
    }
    const r = v.request;
    const user = res.locals.currentUser;
    // Without a valid hint naming the signed-in user, a link alone must not sign anyone out.
    if (user && (!r.hint || r.hint.sub !== user._id)) {
      return res.set('Cache-Control', 'no-store').render('oidc/logout-confirm.njk', { user, client: r.client, params: r.params });
    }
    return logout(req, res, r);
  }

  router.get('/o/logout/', (req, res) => start(req, res, req.query as Record<string, unknown>));
  // A form post from a relying party (spec §2) carries no CSRF token: it is treated like the GET.
  // Our own confirmation form carries `confirm` and must pass the CSRF check.
  router.post('/o/logout/', async (req: Request, res: Response, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.confirm === undefined) return start(req, res, body);
    requireCsrf(req, res, async () => {
      try {
        const raw = Object.fromEntries(LOGOUT_PARAMS.map((k) => [k, body[k]]).filter(([, v]) => v !== undefined));
        const v = await validateLogoutRequest(raw, logoutDeps);
        if (!v.ok) return refuse(res, v.title, v.message);
        await logout(req, res, v.request);
      } catch (err) {
        next(err);
      }
    });
  });

  // Admin console: signing keys.
  const admin = Router();
  admin.use(requireAdmin, formNonce);
  admin.get('/keys/', async (req: Request, res: Response) => {
    const t = tr(res);
    res.render('admin/keys.njk', {
      section: 'keys',
      keys: await oidc.keys.list(),
      algs: SIGNING_ALGS,
      defaultAlg: config.OIDC_SIGNING_ALG,
      aheadSeconds: config.OIDC_KEY_PUBLISH_AHEAD_SECONDS,
      idTokenSeconds: config.ID_TOKEN_EXPIRE_SECONDS,
      notice: req.query.notice === 'rotated' ? t('admin-overview:keys.rotated') : undefined,
    });
  });
  admin.post('/keys/rotate', requireCsrf, once(services.db, '/admin/keys/'), async (req: Request, res: Response) => {
    const alg = (SIGNING_ALGS as string[]).includes(req.body?.alg) ? (req.body.alg as SigningAlg) : config.OIDC_SIGNING_ALG;
    const immediately = req.body?.immediately === 'on';
    const t = tr(res);
    const key = await oidc.keys.rotate({ alg, immediately });
    await audit({ services, log }, res, 'keys.rotate', `key:${key.kid}`, { alg, immediately });
    await completeSubmission(services.db, res.locals.submissionKey!, '/admin/keys/', t('admin-overview:keys.back'));
    res.redirect(303, '/admin/keys/?notice=rotated');
  });
  // Admin console: a client's single-logout settings.
  admin.get('/clients/:id/logout', async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) return notFound(res, tr(res)('oidc:clientLogout.client'), '/admin/clients/', tr(res)('oidc:clientLogout.backToClients'));
    res.render('oidc/client-logout.njk', { section: 'clients', client, values: { uris: (client.postLogoutRedirectUris ?? []).join('\n'), revoke: !!client.revokeTokensOnLogout, origins: (client.allowedOrigins ?? []).join('\n') } });
  });
  admin.post('/clients/:id/logout', requireCsrf, async (req: Request, res: Response) => {
    const client = await clients.byId(req.params.id);
    if (!client) return notFound(res, tr(res)('oidc:clientLogout.client'), '/admin/clients/', tr(res)('oidc:clientLogout.backToClients'));
    const values = { uris: field(req, 'post_logout_redirect_uris', 8000), revoke: checkbox(req, 'revoke_tokens_on_logout'), origins: field(req, 'allowed_origins', 8000) };
    try {
      const updated = await clients.update(client._id, { postLogoutRedirectUris: redirectUriList(values.uris), revokeTokensOnLogout: values.revoke, allowedOrigins: redirectUriList(values.origins) });
      await audit({ services, log }, res, 'client.update', `client:${client._id}`, { postLogoutRedirectUris: updated.postLogoutRedirectUris, revokeTokensOnLogout: updated.revokeTokensOnLogout, allowedOrigins: updated.allowedOrigins });
      res.redirect(303, `/admin/clients/${encodeURIComponent(client._id)}/?notice=client-saved`);
    } catch (err) {
      const message = errorMessage(err);
      if (!message) throw err;
      res.status(400).render('oidc/client-logout.njk', { section: 'clients', client, values, error: translateKnown(tr(res), message, SETTINGS_ERROR_KEYS) });
    }
  });
  router.use('/admin', admin);
  return router;
}
