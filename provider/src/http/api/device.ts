// RFC 8628 routes: the device authorization endpoint (DOT's /o/device-authorization/, a machine
// endpoint) and the page where a signed-in person types the user code and allows or declines.
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { OAuthError } from '../../kernel/errors';
import { authenticateClient, presentedCredentials } from '../../domain/oauth/client-auth';
import { formBody, queryParams } from '../../domain/oauth/params';
import { withOAuthErrors } from '../kit/oauth-errors';
import { requireCsrf } from '../middleware/csrf';
import { DEVICE_CODE_GRANT, formatUserCode, normalizeUserCode } from '../../domain/oidc/device';
import { tr } from '../middleware/language';

export function deviceAuthorizationHandler(services: Services, log: Logger) {
  const { clients, config, oidc } = services;
  const refusal = { log, event: 'device_authorization_error', message: (e: OAuthError) => `device authorization refused: ${e.code}` };
  return withOAuthErrors(refusal, async (req: Request, res: Response, fields) => {
    const body = formBody(req);
    if (Object.keys(queryParams(req)).length) throw new OAuthError('invalid_request', 'Send the parameters in the form-encoded body, not the query string.');
    const creds = presentedCredentials(req, body);
    fields.clientId = creds?.clientId;
    const client = await authenticateClient(clients, creds);
    if (!client.grants.includes(DEVICE_CODE_GRANT)) throw new OAuthError('unauthorized_client', `This client may not use the device authorization grant (${DEVICE_CODE_GRANT}).`);
    const requested = (body.scope ?? '').split(/\s+/).filter(Boolean);
    const scope = requested.length ? [...new Set(requested)] : config.defaultScopes;
    const unknown = scope.filter((s) => !config.scopes.includes(s));
    if (unknown.length) throw new OAuthError('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
    const { deviceCode, doc } = await oidc.devices.create(client._id, scope);
    const userCode = formatUserCode(doc.userCode);
    log.info({ event: 'device_authorization', clientId: client._id }, 'device authorization started');
    res.status(200).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: `${config.issuer}/o/device/`,
      verification_uri_complete: `${config.issuer}/o/device/?user_code=${userCode}`,
      expires_in: config.DEVICE_CODE_EXPIRE_SECONDS,
      interval: doc.interval,
    });
  });
}

export function deviceRoutes(services: Services, log: Logger) {
  const router = Router();
  const { oidc, clients } = services;
  const page = (res: Response, status: number, view: string, data: Record<string, unknown>) => res.status(status).set('Cache-Control', 'no-store').render(view, data);

  router.get('/o/device/', (req: Request, res: Response) => {
    const typed = normalizeUserCode(req.query.user_code);
    if (!res.locals.currentUser) {
      const next = `/o/device/${typed ? `?user_code=${formatUserCode(typed)}` : ''}`;
      return res.redirect(302, `/accounts/login/?next=${encodeURIComponent(next)}`);
    }
    page(res, 200, 'oidc/device.njk', { userCode: typed ? formatUserCode(typed) : '' });
  });

  router.post('/o/device/', requireCsrf, async (req: Request, res: Response) => {
    const user = res.locals.currentUser;
    if (!user) return res.redirect(303, '/accounts/login/?next=%2Fo%2Fdevice%2F');
    const typed = typeof req.body?.user_code === 'string' ? req.body.user_code.slice(0, 20) : '';
    const doc = await oidc.devices.pendingByUserCode(typed);
    if (!doc) {
      log.info({ event: 'device_code_unknown', userId: user._id }, 'unknown or expired user code entered');
      return page(res, 400, 'oidc/device.njk', { userCode: typed, error: tr(res)('oidc:device.errors.unknown') });
    }
    const client = await clients.byId(doc.clientId);
    page(res, 200, 'oidc/device-confirm.njk', { client, user, scope: doc.scope, userCode: formatUserCode(doc.userCode) });
  });

  router.post('/o/device/decide', requireCsrf, async (req: Request, res: Response) => {
    const user = res.locals.currentUser;
    if (!user) return res.redirect(303, '/accounts/login/?next=%2Fo%2Fdevice%2F');
    const doc = await oidc.devices.pendingByUserCode(req.body?.user_code);
    if (!doc) return page(res, 400, 'oidc/device.njk', { userCode: '', error: tr(res)('oidc:device.errors.gone') });
    const approved = req.body?.allow !== undefined;
    await oidc.devices.decide(doc._id, { approved, userId: user._id });
    log.info({ event: approved ? 'device_approved' : 'device_denied', clientId: doc.clientId, userId: user._id }, `device authorization ${approved ? 'approved' : 'declined'}`);
    page(res, 200, 'oidc/device-done.njk', { approved, client: await clients.byId(doc.clientId) });
  });

  return router;
}
