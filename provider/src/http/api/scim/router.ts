// /scim/v2 — SCIM 2.0 provisioning (RFC 7643/7644) for identity providers (Entra ID, Okta,
// JumpCloud…). Each provisioning connection has its own bearer token (store/scim-connections.ts);
// requests are rate limited per connection, and every change is audited as "scim:<connection>".
// Answers are application/scim+json; every error is a SCIM error object (errors.ts).
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../../kernel/log';
import type { Services } from '../../../domain/services';
import type { ScimConnectionDoc } from '../../../db/schema';
import { SlotLimiter } from '../../../store/rate-limits';
import { ScimError, notFound } from '../../../domain/people/scim/errors';
import { resourceTypeDocs, schemaDocs, serviceProviderConfig } from '../../../domain/people/scim/schemas';
import { ScimService, type ListQuery } from '../../../domain/people/scim/service';
import { project, wantsMembers } from '../../../domain/people/scim/attributes';
import type { ChangeSource } from '../../../domain/people/apply';
import { inviteAfterCreate } from '../../../domain/people/invite';

export const SCIM_BASE_PATH = '/scim/v2';
const SCIM_TYPE = 'application/scim+json';

export interface ScimLimits {
  rateLimit: number;
  windowSeconds: number;
  maxResults: number;
  maxBodyBytes: number;
}

type Handler = (req: Request, res: Response) => Promise<void>;

function send(res: Response, status: number, body?: unknown): void {
  res.status(status).set('Cache-Control', 'no-store');
  if (body === undefined) {
    res.end();
    return;
  }
  res.type(SCIM_TYPE).send(JSON.stringify(body));
}

function sendError(res: Response, err: ScimError): void {
  if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="scim"');
  send(res, err.status, err.toJSON());
}

function query(req: Request): ListQuery & { attributes?: string; excludedAttributes?: string } {
  const q = req.query as Record<string, unknown>;
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  return { filter: s('filter'), startIndex: s('startIndex'), count: s('count'), attributes: s('attributes'), excludedAttributes: s('excludedAttributes') };
}

/** POST …/.search: the query in the body (RFC 7644 §3.4.3). */
function searchQuery(body: unknown): ListQuery & { attributes?: string; excludedAttributes?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(',') : typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : undefined);
  return { filter: typeof b.filter === 'string' ? b.filter : undefined, startIndex: num(b.startIndex), count: num(b.count), attributes: list(b.attributes), excludedAttributes: list(b.excludedAttributes) };
}

export function scimRouter(services: Services, log: Logger, limits: ScimLimits): Router {
  const connections = services.scimConnections;
  const limiter = new SlotLimiter(services.db, { prefix: 'scim:', limit: limits.rateLimit, windowMs: limits.windowSeconds * 1000, leases: true });
  const base = () => `${services.config.issuer}${SCIM_BASE_PATH}`;
  const scim = (res: Response) => new ScimService(services, { base: base(), maxResults: limits.maxResults, afterCreate: inviteAfterCreate(services, source(res).actor, log).afterCreate });
  const json = express.json({ limit: limits.maxBodyBytes, strict: true, type: ['application/json', SCIM_TYPE] });

  const router = Router();
  const source = (res: Response): ChangeSource => ({ actor: `scim:${(res.locals.scimConnection as ScimConnectionDoc).name}`, via: 'scim' });

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const found = m ? await connections.authenticate(m[1]) : null;
    if (found === 'revoked') {
      log.warn({ event: 'scim_refused', reason: 'revoked connection' }, 'SCIM request with a revoked connection token');
      return sendError(res, new ScimError(401, 'This connection token was revoked; create a new connection (hrm-sso scim token create).'));
    }
    if (!found) return sendError(res, new ScimError(401, 'Send "Authorization: Bearer <connection token>" (hrm-sso scim token create).'));
    const decision = await limiter.take(found._id);
    if (!decision.allowed) {
      log.warn({ event: 'scim_rate_limited', connection: found.name }, 'SCIM connection over its rate limit');
      res.set('Retry-After', String(decision.retryAfterSeconds));
      return sendError(res, new ScimError(429, 'Too many requests for this connection; retry later.'));
    }
    res.locals.scimConnection = found;
    next();
  };

  const wrap = (h: Handler) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await h(req, res);
    } catch (err) {
      next(err);
    }
  };
  const needsJson = (req: Request) => {
    if (!req.is(['application/json', SCIM_TYPE])) throw new ScimError(400, `Send the body as ${SCIM_TYPE}.`, 'invalidSyntax');
  };

  router.use(authenticate);

  // Discovery.
  router.get('/ServiceProviderConfig', wrap(async (_req, res) => send(res, 200, serviceProviderConfig(base(), limits.maxResults, limits.maxBodyBytes, `${services.config.issuer}/`))));
  router.get('/ResourceTypes', wrap(async (_req, res) => {
    const docs = resourceTypeDocs(base());
    send(res, 200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: docs.length, startIndex: 1, itemsPerPage: docs.length, Resources: docs });
  }));
  router.get('/ResourceTypes/:id', wrap(async (req, res) => {
    const doc = resourceTypeDocs(base()).find((d) => d.id === req.params.id);
    if (!doc) throw notFound('ResourceType');
    send(res, 200, doc);
  }));
  router.get('/Schemas', wrap(async (_req, res) => {
    const docs = schemaDocs(base());
    send(res, 200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: docs.length, startIndex: 1, itemsPerPage: docs.length, Resources: docs });
  }));
  router.get('/Schemas/:id', wrap(async (req, res) => {
    const doc = schemaDocs(base()).find((d) => d.id === req.params.id);
    if (!doc) throw notFound('Schema');
    send(res, 200, doc);
  }));

  // Discovery is read-only (RFC 7644 §4).
  for (const p of ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/:id', '/Schemas', '/Schemas/:id']) {
    router.all(p, (_req, res) => {
      res.set('Allow', 'GET');
      sendError(res, new ScimError(405, 'This endpoint is read-only: use GET.'));
    });
  }

  // Users.
  const listUsers = async (q: ReturnType<typeof query>, res: Response) => {
    const list = await scim(res).listUsers(q);
    send(res, 200, { ...list, Resources: (list.Resources as Record<string, unknown>[]).map((r) => project(r, q.attributes, q.excludedAttributes)) });
  };
  router.get('/Users', wrap(async (req, res) => listUsers(query(req), res)));
  router.post('/Users/.search', json, wrap(async (req, res) => listUsers(searchQuery(req.body), res)));
  router.post('/Users', json, wrap(async (req, res) => {
    needsJson(req);
    const user = await scim(res).createUser(req.body, source(res));
    res.set('Location', String((user.meta as { location: string }).location));
    send(res, 201, user);
  }));
  router.get('/Users/:id', wrap(async (req, res) => {
    const q = query(req);
    send(res, 200, project(await scim(res).getUser(String(req.params.id)), q.attributes, q.excludedAttributes));
  }));
  router.put('/Users/:id', json, wrap(async (req, res) => {
    needsJson(req);
    send(res, 200, await scim(res).replaceUser(String(req.params.id), req.body, source(res)));
  }));
  router.patch('/Users/:id', json, wrap(async (req, res) => {
    needsJson(req);
    send(res, 200, await scim(res).patchUser(String(req.params.id), req.body, source(res)));
  }));
  router.delete('/Users/:id', wrap(async (req, res) => {
    await scim(res).deleteUser(String(req.params.id), source(res));
    send(res, 204);
  }));

  // Groups (teams).
  const listGroups = async (q: ReturnType<typeof query>, res: Response) => {
    const list = await scim(res).listGroups(q, wantsMembers(q.attributes, q.excludedAttributes));
    send(res, 200, { ...list, Resources: (list.Resources as Record<string, unknown>[]).map((r) => project(r, q.attributes, q.excludedAttributes)) });
  };
  router.get('/Groups', wrap(async (req, res) => listGroups(query(req), res)));
  router.post('/Groups/.search', json, wrap(async (req, res) => listGroups(searchQuery(req.body), res)));
  router.post('/Groups', json, wrap(async (req, res) => {
    needsJson(req);
    const group = await scim(res).createGroup(req.body, source(res));
    res.set('Location', String((group.meta as { location: string }).location));
    send(res, 201, group);
  }));
  router.get('/Groups/:id', wrap(async (req, res) => {
    const q = query(req);
    send(res, 200, project(await scim(res).getGroup(String(req.params.id), wantsMembers(q.attributes, q.excludedAttributes)), q.attributes, q.excludedAttributes));
  }));
  router.put('/Groups/:id', json, wrap(async (req, res) => {
    needsJson(req);
    send(res, 200, await scim(res).replaceGroup(String(req.params.id), req.body, source(res)));
  }));
  router.patch('/Groups/:id', json, wrap(async (req, res) => {
    needsJson(req);
    send(res, 200, await scim(res).patchGroup(String(req.params.id), req.body, source(res)));
  }));
  router.delete('/Groups/:id', wrap(async (req, res) => {
    await scim(res).deleteGroup(String(req.params.id), source(res));
    send(res, 204);
  }));

  // Searching several resource types at once is not served (RFC 7644 §3.4.3 allows 501).
  router.post('/.search', (_req, res) => sendError(res, new ScimError(501, 'Search /Users/.search or /Groups/.search instead.')));
  router.all('/Bulk', (_req, res) => sendError(res, new ScimError(501, 'Bulk operations are not supported (see ServiceProviderConfig).')));
  router.use((req, res) => sendError(res, new ScimError(404, `There is no SCIM endpoint at ${req.method} ${SCIM_BASE_PATH}${req.path}.`)));

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ScimError) return sendError(res, err);
    const e = err as { type?: string; status?: number; message?: string; name?: string };
    if (e?.type === 'entity.too.large') return sendError(res, new ScimError(413, `The body is larger than ${limits.maxBodyBytes} bytes.`));
    if (e?.type && typeof e.status === 'number' && e.status < 500) return sendError(res, new ScimError(400, 'The body is not valid JSON.', 'invalidSyntax'));
    log.error({ err: { name: e?.name, message: e?.message }, path: req.path }, 'SCIM request failed');
    sendError(res, new ScimError(500, 'The server could not complete the request.'));
  });

  const outer = Router();
  outer.use(SCIM_BASE_PATH, router);
  return outer;
}
