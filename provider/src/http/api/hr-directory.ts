// The company directory for colleague cards and search: GET /api/v2/hrm/directory/?q=&page=
// and GET /api/v2/hrm/people/<username>/, under a user's bearer token with scope `hrm`.
// Only active, current employees are listed, and only the fields the admin allows
// (HRM_DIRECTORY_FIELDS). Each user may make HRM_DIRECTORY_RATE_LIMIT calls per window.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../kernel/config';
import type { AccessTokenDoc, UserDoc } from '../../db/schema';
import type { Logger } from '../../kernel/log';
import type { Services } from '../../domain/services';
import { normaliseUsername } from '../../store/users';
import { sendTooManyRequests } from '../middleware/rate-limits';
import { SlotLimiter } from '../../store/rate-limits';
import { hrClaims, HRM_SCOPE } from '../../domain/hr/claims';

export const DIRECTORY_PATH = '/api/v2/hrm/directory/';
export const PEOPLE_PATH = '/api/v2/hrm/people/';

const querySchema = z.object({
  // A NUL cannot travel in the database's regex (BSON C string): refused here, with a sentence.
  q: z.string().max(100, 'q is at most 100 characters').refine((q) => !q.includes('\0'), 'q must not contain a NUL character (%00).').default(''),
  page: z.coerce.number({ invalid_type_error: 'page must be a number' }).int('page must be a whole number').min(1, 'page starts at 1').max(1000, 'page is at most 1000').default(1),
});

function challenge(res: Response, status: number, error: string, description: string): void {
  res.set('WWW-Authenticate', `Bearer realm="hrm", error="${error}"${error === 'insufficient_scope' ? ` scope="${HRM_SCOPE}"` : ''}, error_description="${description}"`);
  res.status(status).json({ error, error_description: description });
}

/** The person as a colleague sees them: only the allowed fields. */
export async function colleague(u: UserDoc, config: Config, managerOf: (name: string) => Promise<UserDoc | null>): Promise<Record<string, unknown>> {
  const allowed = new Set(config.HRM_DIRECTORY_FIELDS.split(',').map((f) => f.trim()));
  // A leave's end date goes with the status it qualifies.
  if (allowed.has('employment_status')) allowed.add('leave_until');
  const claims = await hrClaims(u, config, managerOf);
  const all: Record<string, unknown> = { username: u.username, name: u.name, email: u.email, ...claims };
  return Object.fromEntries(Object.entries(all).filter(([k, v]) => allowed.has(k) && v !== undefined));
}

export function directoryRoutes(services: Services, log: Logger) {
  const { config, db, users, tokens } = services;
  const limiter = new SlotLimiter(db, { prefix: 'hrm-directory:', limit: config.HRM_DIRECTORY_RATE_LIMIT, windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000, leases: true });
  const router = Router();
  const managerOf = (name: string) => users.byStoredUsername(name);

  /** Bearer token (header only: tokens in URLs end up in logs), active user, scope hrm, rate limit. */
  async function authorise(req: Request, res: Response, next: NextFunction) {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization?.trim() ?? '');
    if (!m) {
      res.set('WWW-Authenticate', 'Bearer realm="hrm"');
      return res.status(401).json({ error: 'invalid_token', error_description: 'An access token is required in the Authorization header ("Bearer <token>").' });
    }
    const doc = await tokens.findActiveAccessToken(m[1]);
    const user = doc?.userId ? await users.byId(doc.userId) : null;
    if (!doc || !user || !user.active) return challenge(res, 401, 'invalid_token', 'The access token is unknown, expired or revoked.');
    if (!doc.scope.includes(HRM_SCOPE)) return challenge(res, 403, 'insufficient_scope', `The access token's scope does not include "${HRM_SCOPE}".`);
    const decision = await limiter.take(user._id);
    if (!decision.allowed) {
      log.warn({ event: 'hrm_directory_rate_limited', clientId: doc.clientId }, 'too many directory requests');
      return sendTooManyRequests(res, decision.retryAfterSeconds);
    }
    res.locals.hrmToken = doc as AccessTokenDoc;
    next();
  }

  router.get(DIRECTORY_PATH, authorise, async (req: Request, res: Response) => {
    const parsed = querySchema.safeParse({ q: typeof req.query.q === 'string' ? req.query.q : undefined, page: typeof req.query.page === 'string' && req.query.page !== '' ? req.query.page : undefined });
    if (!parsed.success || Array.isArray(req.query.q) || Array.isArray(req.query.page)) {
      const description = parsed.success ? 'q and page may each be given once.' : parsed.error.issues.map((i) => i.message).join('; ');
      return res.status(400).json({ error: 'invalid_request', error_description: description });
    }
    const { q, page } = parsed.data;
    const text = q.trim();
    const size = config.HRM_DIRECTORY_PAGE_SIZE;
    const { total, people } = await users.searchDirectory(text, page, size);
    res.json({ q: text, page, page_size: size, total, pages: Math.max(1, Math.ceil(total / size)), people: await Promise.all(people.map((d) => colleague(d, config, managerOf))) });
  });

  router.get(`${PEOPLE_PATH}:username/`, authorise, async (req: Request, res: Response) => {
    const name = normaliseUsername(String(req.params.username ?? '').slice(0, 200));
    const person = name ? await users.listedByUsername(name) : null;
    if (!person) return res.status(404).json({ error: 'not_found', error_description: 'No current employee has this username.' });
    res.json(await colleague(person, config, managerOf));
  });

  return router;
}
