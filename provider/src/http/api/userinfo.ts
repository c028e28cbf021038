// GET /o/userinfo/ and /api/v2/o/userinfo/ — the identity Rocket.Chat reads after login.
// `id` and `sub` are equal strings: Rocket.Chat takes `id` first. Fields are limited by the
// token's scope (oauth/scopes.ts). One database read on a valid token: client and profile come
// from the in-process caches; validity is the token document alone (store/tokens.ts).
import type { Request, Response } from 'express';
import type { Config } from '../../kernel/config';
import type { UserDoc } from '../../db/schema';
import type { Logger } from '../../kernel/log';
import { pickFields, USERINFO_SCOPE, userinfoFields } from '../../domain/oauth/scopes';
import type { ClientStore } from '../../store/clients';
import type { TokenStore } from '../../store/tokens';
import type { OidcService } from '../../domain/oidc/service';
import { hrClaims, HRM_SCOPE } from '../../domain/hr/claims';

export function userinfoBody(u: UserDoc) {
  return {
    sub: u._id,
    id: u._id,
    username: u.username,
    preferred_username: u.username,
    email: u.email,
    email_verified: true,
    name: u.name,
    given_name: u.givenName ?? '',
    family_name: u.familyName ?? '',
    department: u.department ?? '',
    job_title: u.jobTitle ?? '',
  };
}

/** RFC 6750 §2: header, or (Rocket.Chat "Identity Token Sent Via: Payload") the access_token parameter. */
function bearerToken(req: Request): { token?: string; error?: string; fromQuery?: boolean } {
  const header = req.headers.authorization;
  const fromQuery = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
  const fromBody = req.body && typeof req.body.access_token === 'string' ? (req.body.access_token as string) : undefined;
  const sources = [header ? 'header' : '', fromQuery ? 'query' : '', fromBody ? 'body' : ''].filter(Boolean);
  if (sources.length > 1) return { error: 'Send the access token in one place only.' };
  if (Array.isArray(req.query.access_token)) return { error: 'access_token was sent more than once.' };
  if (header) {
    const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    return m ? { token: m[1] } : { error: 'The Authorization header must be "Bearer <token>".' };
  }
  return { token: fromQuery ?? fromBody, fromQuery: fromQuery !== undefined };
}

export function userinfoHandler(deps: { tokens: TokenStore; users: { byId(id: string): Promise<UserDoc | null>; byUsername?(username: string): Promise<UserDoc | null> }; clients: ClientStore; config?: Config; log: Logger; oidc?: OidcService }) {
  return async (req: Request, res: Response) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const { token, error, fromQuery } = bearerToken(req);
    if (error) {
      res.set('WWW-Authenticate', `Bearer realm="hrm", error="invalid_request", error_description="${error}"`);
      return res.status(400).json({ error: 'invalid_request', error_description: error });
    }
    if (!token) {
      res.set('WWW-Authenticate', 'Bearer realm="hrm"');
      return res.status(401).json({ error: 'invalid_token', error_description: 'An access token is required.' });
    }
    const doc = await deps.tokens.findActiveAccessToken(token);
    const user = doc?.userId ? await deps.users.byId(doc.userId) : null;
    if (!doc || !user || !user.active) {
      const why = !doc ? 'The access token is unknown, expired or revoked.' : 'The access token does not belong to an active user.';
      deps.log.info({ event: 'userinfo_refused', clientId: doc?.clientId }, why);
      res.set('WWW-Authenticate', `Bearer realm="hrm", error="invalid_token", error_description="${why}"`);
      return res.status(401).json({ error: 'invalid_token', error_description: why });
    }
    if (fromQuery && !(await deps.clients.byId(doc.clientId))?.allowQueryAccessToken) {
      // Tokens in URLs end up in logs and histories: only clients registered for Rocket.Chat's "Payload" mode may.
      const why = 'Send the access token in the Authorization header (this client may not send it in the query string).';
      deps.log.info({ event: 'userinfo_refused', clientId: doc.clientId }, why);
      res.set('WWW-Authenticate', `Bearer realm="hrm", error="invalid_request", error_description="${why}"`);
      return res.status(400).json({ error: 'invalid_request', error_description: why });
    }
    // OpenID Connect clients get OIDC-shaped claims (oidc/service.ts); Rocket.Chat and DOT-style clients the body below.
    // Scope hrm adds the HR lifecycle claims to either body (hr/claims.ts, docs/hr-lifecycle.md);
    // built only for an answer that will carry them (its manager lookup is a database read).
    const withHr = async (body: object) =>
      res.json(deps.config && doc.scope.includes(HRM_SCOPE) ? { ...body, ...(await hrClaims(user, deps.config, (name) => deps.users.byUsername?.(name) ?? Promise.resolve(null))) } : body);
    const oidcBody = await deps.oidc?.userinfo(doc, user);
    if (oidcBody) return withHr(oidcBody);
    const fields = userinfoFields(doc.scope);
    if (fields.size === 0) {
      const why = `The access token's scope does not include "${USERINFO_SCOPE}".`;
      deps.log.info({ event: 'userinfo_refused', clientId: doc.clientId }, why);
      res.set('WWW-Authenticate', `Bearer realm="hrm", error="insufficient_scope", scope="${USERINFO_SCOPE}", error_description="${why}"`);
      return res.status(403).json({ error: 'insufficient_scope', error_description: why });
    }
    return withHr(pickFields(userinfoBody(user), fields));
  };
}
