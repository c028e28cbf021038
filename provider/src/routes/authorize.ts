// GET/POST /o/authorize/ — authorization code flow: login if needed, consent unless the
// client skips it or the user already granted these scopes, then a code from the library.
import { Router, type Request, type Response } from 'express';
import OAuth2Server, { Request as OAuthRequest, Response as OAuthResponse } from '@node-oauth/oauth2-server';
import type { Config } from '../config';
import type { Database } from '../db/connect';
import { consentId, type UserDoc } from '../db/schema';
import type { Logger } from '../log';
import type { ClientStore } from '../store/clients';
import { AUTHORIZE_PARAMS, errorRedirect, validateAuthorizeRequest, type AuthorizeRequest } from '../oauth/authorize-request';
import { requireCsrf } from '../web/csrf';
import { consentRequired } from '../store/client-policies';

interface Deps {
  config: Config;
  db: Database;
  clients: ClientStore;
  oauth: OAuth2Server;
  log: Logger;
}

function carriedParams(a: AuthorizeRequest, responseType = 'code'): Record<string, string> {
  const p: Record<string, string> = { client_id: a.client._id, redirect_uri: a.redirectUri, response_type: responseType, scope: a.scope.join(' ') };
  if (a.state !== undefined) p.state = a.state;
  if (a.codeChallenge) p.code_challenge = a.codeChallenge;
  if (a.codeChallengeMethod) p.code_challenge_method = a.codeChallengeMethod;
  return p;
}

export function authorizeRoutes(deps: Deps) {
  const router = Router();

  const badRequestPage = (res: Response, title: string, message: string) =>
    res.status(400).set('Cache-Control', 'no-store').render('error.njk', { title, message, hint: 'Nothing was sent back to the application.' });

  async function hasConsent(user: UserDoc, a: AuthorizeRequest, prompt: unknown): Promise<boolean> {
    if (consentRequired(a.client, prompt)) return false;
    if (a.client.skipAuthorization) return true;
    const consent = await deps.db.consents.findOne({ _id: consentId(user._id, a.client._id) });
    return !!consent && a.scope.every((s) => consent.scope.includes(s));
  }

  async function recordConsent(user: UserDoc, a: AuthorizeRequest): Promise<void> {
    const now = new Date();
    await deps.db.consents.updateOne(
      { _id: consentId(user._id, a.client._id) },
      { $addToSet: { scope: { $each: a.scope } }, $set: { lastUsedAt: now }, $setOnInsert: { userId: user._id, clientId: a.client._id, createdAt: now } },
      { upsert: true },
    );
  }

  /** Issues the code through the library and redirects the browser back to the client. */
  async function issueCode(res: Response, user: UserDoc, a: AuthorizeRequest) {
    const request = new OAuthRequest({ method: 'GET', headers: {}, query: carriedParams(a), body: {} });
    const response = new OAuthResponse({ headers: {} });
    await deps.oauth.authorize(request, response, { authenticateHandler: { handle: () => ({ id: user._id }) } });
    deps.log.info({ event: 'code_issued', clientId: a.client._id, userId: user._id }, 'authorization code issued');
    res.set('Cache-Control', 'no-store').redirect(302, response.headers!.location as string);
  }

  async function validate(req: Request, res: Response, raw: Record<string, unknown>): Promise<AuthorizeRequest | undefined> {
    const v = await validateAuthorizeRequest(raw, deps.clients, deps.config);
    if (v.kind === 'page') {
      deps.log.warn({ event: 'authorize_refused', clientId: typeof raw.client_id === 'string' ? raw.client_id : undefined, reason: v.message }, `authorization request refused: ${v.title}`);
      badRequestPage(res, v.title, v.message);
      return undefined;
    }
    if (v.kind === 'redirect') {
      deps.log.warn({ event: 'authorize_error', clientId: raw.client_id, error: v.error, reason: v.description }, `authorization request refused: ${v.error}: ${v.description}`);
      res.set('Cache-Control', 'no-store').redirect(302, v.url);
      return undefined;
    }
    return v.request;
  }

  router.get('/o/authorize/', async (req: Request, res: Response) => {
    const a = await validate(req, res, req.query as Record<string, unknown>);
    if (!a) return;
    const user = res.locals.currentUser;
    if (!user) {
      const next = `/o/authorize/?${new URLSearchParams(carriedParams(a, String(req.query.response_type))).toString()}`;
      return res.redirect(302, `/accounts/login/?next=${encodeURIComponent(next)}`);
    }
    if (await hasConsent(user, a, req.query.prompt)) return issueCode(res, user, a);
    res.set('Cache-Control', 'no-store').render('consent.njk', {
      client: a.client,
      user,
      scope: a.scope,
      params: carriedParams(a),
      redirectOrigin: new URL(a.redirectUri).origin,
    });
  });

  router.post('/o/authorize/', requireCsrf, async (req: Request, res: Response) => {
    const raw = Object.fromEntries(AUTHORIZE_PARAMS.map((k) => [k, req.body?.[k]]).filter(([, v]) => v !== undefined));
    // Hidden fields are re-validated: a tampered form is treated like a fresh request.
    const a = await validate(req, res, raw);
    if (!a) return;
    const user = res.locals.currentUser;
    if (!user) {
      const next = `/o/authorize/?${new URLSearchParams(carriedParams(a)).toString()}`;
      return res.redirect(303, `/accounts/login/?next=${encodeURIComponent(next)}`);
    }
    if (req.body?.allow === undefined) {
      deps.log.info({ event: 'consent_denied', clientId: a.client._id, userId: user._id }, 'user cancelled the authorization');
      return res.redirect(303, errorRedirect(a.redirectUri, 'access_denied', 'The user cancelled the authorization.', a.state));
    }
    await recordConsent(user, a);
    await issueCode(res, user, a);
  });

  return router;
}
