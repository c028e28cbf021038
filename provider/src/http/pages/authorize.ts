// GET/POST /o/authorize/ — authorization code flow: login if needed, consent unless the
// client skips it or the user already granted these scopes, then a code from the library.
import { Router, type Request, type Response } from 'express';
import OAuth2Server, { Request as OAuthRequest, Response as OAuthResponse } from '@node-oauth/oauth2-server';
import type { Config } from '../../kernel/config';
import type { UserDoc } from '../../db/schema';
import type { ConsentStore } from '../../store/consents';
import type { Logger } from '../../kernel/log';
import type { ClientStore } from '../../store/clients';
import { AUTHORIZE_PARAMS, errorRedirect, validateAuthorizeRequest, type AuthorizeRequest } from '../../domain/oauth/authorize-request';
import { requireCsrf } from '../middleware/csrf';
import { endSession } from '../middleware/current-user';
import { SESSION_COOKIE } from '../middleware/session';
import type { OidcService } from '../../domain/oidc/service';
import { consentRequired } from '../../store/client-policies';
import { sessionAmr } from '../../domain/oidc/amr';
import { tr } from '../middleware/language';
import { translateKnown } from '../kit/known-messages';

// The validation's page sentences (domain/oauth/authorize-request.ts), in the reader's language.
const REFUSAL_KEYS = [
  'consent:refused.invalidTitle',
  'consent:refused.unknownClientTitle',
  'consent:refused.unregisteredTitle',
  'consent:refused.malformedParameter',
  'consent:refused.missingClientId',
  'consent:refused.unknownClient',
  'consent:refused.missingRedirect',
  'consent:refused.redirectMismatch',
] as const;

interface Deps {
  config: Config;
  consents: ConsentStore;
  clients: ClientStore;
  oauth: OAuth2Server;
  log: Logger;
  oidc: OidcService;
}

/** The request as carried through login and consent; `afterLogin` drops the prompts a fresh login satisfies (no loop). */
function carriedParams(a: AuthorizeRequest, opts: { afterLogin?: boolean } = {}): Record<string, string> {
  const p: Record<string, string> = { client_id: a.client._id, redirect_uri: a.redirectUri, response_type: a.responseType, scope: a.scope.join(' ') };
  if (a.state !== undefined) p.state = a.state;
  if (a.codeChallenge) p.code_challenge = a.codeChallenge;
  if (a.codeChallengeMethod) p.code_challenge_method = a.codeChallengeMethod;
  const o = a.oidc;
  if (o.nonce !== undefined) p.nonce = o.nonce;
  const prompt = opts.afterLogin ? o.prompt.filter((x) => x !== 'login' && x !== 'select_account') : o.prompt;
  if (prompt.length) p.prompt = prompt.join(' ');
  if (o.maxAge !== undefined) p.max_age = String(o.maxAge);
  if (o.loginHint !== undefined) p.login_hint = o.loginHint;
  if (o.claimsRaw !== undefined) p.claims = o.claimsRaw;
  return p;
}

export function authorizeRoutes(deps: Deps) {
  const router = Router();

  const badRequestPage = (res: Response, title: string, message: string) => {
    const t = tr(res);
    res.status(400).set('Cache-Control', 'no-store').render('error.njk', { title: translateKnown(t, title, REFUSAL_KEYS), message: translateKnown(t, message, REFUSAL_KEYS), hint: t('consent:refused.hint') });
  };

  async function hasConsent(user: UserDoc, a: AuthorizeRequest, prompt: unknown): Promise<boolean> {
    // Claims asked for beyond the scopes are never granted silently.
    if (deps.oidc.extraClaims(a.scope, a.oidc.claims).length) return false;
    if (consentRequired(a.client, prompt)) return false;
    if (a.client.skipAuthorization) return true;
    const consent = await deps.consents.find(user._id, a.client._id);
    return !!consent && a.scope.every((s) => consent.scope.includes(s));
  }

  async function recordConsent(user: UserDoc, a: AuthorizeRequest): Promise<void> {
    await deps.consents.grant(user._id, a.client._id, a.scope);
  }

  /** Issues the code through the library and redirects the browser back to the client. */
  async function issueCode(req: Request, res: Response, user: UserDoc, a: AuthorizeRequest) {
    const request = new OAuthRequest({ method: 'GET', headers: {}, query: { ...carriedParams(a), response_type: 'code' }, body: {} });
    const response = new OAuthResponse({ headers: {} });
    await deps.oauth.authorize(request, response, { authenticateHandler: { handle: () => ({ id: user._id }) } });
    let location = response.headers!.location as string;
    if (a.scope.includes('openid')) {
      const code = new URL(location).searchParams.get('code')!;
      await deps.oidc.recordAuthorization(code, { clientId: a.client._id, userId: user._id, nonce: a.oidc.nonce, authTimeMs: req.session?.authTime, amr: sessionAmr(req), claims: a.oidc.claims });
      if (a.responseType === 'code id_token') location = await hybridLocation(code, user, a);
    }
    deps.log.info({ event: 'code_issued', clientId: a.client._id, userId: user._id, responseType: a.responseType }, 'authorization code issued');
    res.set('Cache-Control', 'no-store').redirect(302, location);
  }

  /** OIDC Core §3.3.2.5: the hybrid response travels in the fragment. */
  async function hybridLocation(code: string, user: UserDoc, a: AuthorizeRequest): Promise<string> {
    const fragment = new URLSearchParams({ code, id_token: await deps.oidc.hybridIdToken(code, user, a.client._id, a.scope) });
    if (a.state !== undefined) fragment.set('state', a.state);
    const url = new URL(a.redirectUri);
    url.hash = fragment.toString();
    return url.toString();
  }

  /** Redirects an OIDC error (login_required, consent_required) back to the client. */
  function oidcError(res: Response, a: AuthorizeRequest, error: string, description: string) {
    deps.log.info({ event: 'authorize_error', clientId: a.client._id, error }, `authorization request refused: ${error}`);
    res.set('Cache-Control', 'no-store').redirect(302, errorRedirect(a.redirectUri, error, description, a.state, a.responseType === 'code' ? 'query' : 'fragment'));
  }

  const loginUrl = (a: AuthorizeRequest) => `/accounts/login/?next=${encodeURIComponent(`/o/authorize/?${new URLSearchParams(carriedParams(a, { afterLogin: true })).toString()}`)}`;

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
    const { prompt, maxAge } = a.oidc;
    // OIDC Core §3.1.2.1 max_age: an older sign-in must be repeated.
    const tooOld = !!user && maxAge !== undefined && Date.now() - (req.session?.authTime ?? 0) > maxAge * 1000;
    // The two-factor gate let a silent request through from a user who must set up two-factor first.
    if (res.locals.twoFactorSetupRequired) return oidcError(res, a, 'interaction_required', 'The user must set up two-factor sign-in first, and prompt=none forbids asking.');
    if (prompt.includes('none')) {
      if (!user || tooOld) return oidcError(res, a, 'login_required', 'The user is not signed in (or signed in too long ago for max_age), and prompt=none forbids asking.');
      if (!(await hasConsent(user, a, prompt.join(' ')))) return oidcError(res, a, 'consent_required', 'The user has not yet allowed this application, and prompt=none forbids asking.');
      return issueCode(req, res, user, a);
    }
    if (user && (tooOld || prompt.includes('login') || prompt.includes('select_account'))) {
      // Re-authentication: end this session and sign in afresh; the carried request no longer asks for it.
      await endSession(req);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return res.set('Cache-Control', 'no-store').redirect(302, loginUrl(a));
    }
    if (!user) return res.set('Cache-Control', 'no-store').redirect(302, loginUrl(a));
    if (await hasConsent(user, a, prompt.join(' '))) return issueCode(req, res, user, a);
    res.set('Cache-Control', 'no-store').render('consent.njk', {
      client: a.client,
      user,
      scope: a.scope,
      extraClaims: deps.oidc.extraClaims(a.scope, a.oidc.claims),
      params: carriedParams(a, { afterLogin: true }),
      // "Switch account": sign out, sign in as someone else, come back to this very request.
      switchNext: `/o/authorize/?${new URLSearchParams(carriedParams(a, { afterLogin: true })).toString()}`,
      redirectOrigin: new URL(a.redirectUri).origin,
    });
  });

  router.post('/o/authorize/', requireCsrf, async (req: Request, res: Response) => {
    const raw = Object.fromEntries(AUTHORIZE_PARAMS.map((k) => [k, req.body?.[k]]).filter(([, v]) => v !== undefined));
    // Hidden fields are re-validated: a tampered form is treated like a fresh request.
    const a = await validate(req, res, raw);
    if (!a) return;
    const user = res.locals.currentUser;
    if (!user) return res.redirect(303, loginUrl(a));
    if (req.body?.allow === undefined) {
      deps.log.info({ event: 'consent_denied', clientId: a.client._id, userId: user._id }, 'user cancelled the authorization');
      return res.redirect(303, errorRedirect(a.redirectUri, 'access_denied', 'The user cancelled the authorization.', a.state, a.responseType === 'code' ? 'query' : 'fragment'));
    }
    await recordConsent(user, a);
    await issueCode(req, res, user, a);
  });

  return router;
}
