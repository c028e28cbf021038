// POST /api/v2/hrm/status/ — the Rocket.Chat app's offboarding job asks, with its own client
// credentials (HTTP Basic), about up to HRM_STATUS_BATCH_MAX HRM users at once: their
// employment status and the HR fields it copies into Rocket.Chat. No user tokens are needed,
// so a leaver whose tokens were all revoked is still reported. Only confidential clients with
// `allowHrmStatus` (on by default for the rocketchat-app preset) may ask. Body: {"ids": [...]},
// each an HRM subject id or a username; unknown ones come back as status "unknown".
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { ClientDoc, UserDoc } from '../../db/schema';
import { OAuthError } from '../../kernel/errors';
import type { Logger } from '../../kernel/log';
import { authenticateClient, basicCredentials } from '../../domain/oauth/client-auth';
import { withOAuthErrors } from '../kit/oauth-errors';
import type { Services } from '../../domain/services';
import { normaliseUsername, type UserStore } from '../../store/users';
import { sendTooManyRequests } from '../middleware/rate-limits';
import { SlotLimiter } from '../../store/rate-limits';
import { hrClaims } from '../../domain/hr/claims';

export const STATUS_PATH = '/api/v2/hrm/status/';

/** The preset default unless the client says otherwise. */
export function mayReadHrmStatus(client: Pick<ClientDoc, 'allowHrmStatus' | 'preset' | 'type'>): boolean {
  return client.type === 'confidential' && (client.allowHrmStatus ?? client.preset === 'rocketchat-app');
}

export function statusRoute(services: Services, log: Logger) {
  const { config, db, clients } = services;
  const limiter = new SlotLimiter(db, { prefix: 'hrm-status:', limit: config.HRM_STATUS_RATE_LIMIT, windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000, leases: true });
  const bodySchema = z
    .object({
      ids: z
        .array(z.string().min(1, 'ids must not be empty strings').max(200, 'each id is at most 200 characters'), { required_error: 'ids is required', invalid_type_error: 'ids must be an array of strings' })
        .min(1, 'ids must name at least one user')
        .max(config.HRM_STATUS_BATCH_MAX, `ids may name at most ${config.HRM_STATUS_BATCH_MAX} users per request`),
    }, { invalid_type_error: 'The body must be a JSON object {"ids": [...]}.' })
    .strict();
  const json = express.json({ limit: config.MAX_BODY_BYTES, strict: true, type: () => true });

  return [
    json,
    withOAuthErrors({ log, event: 'hrm_status_refused', message: (e) => `HRM status refused: ${e.reason}` }, async (req: Request, res: Response) => {
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      const basic = basicCredentials(req);
      const client = await authenticateClient(clients, basic && { ...basic, method: 'client_secret_basic' });
      if (!mayReadHrmStatus(client)) throw new OAuthError('unauthorized_client', 'This client may not read HRM employment statuses (only the Rocket.Chat app client may).', 403, 'client lacks allowHrmStatus');
      const decision = await limiter.take(client._id);
      if (!decision.allowed) {
        log.warn({ event: 'hrm_status_rate_limited', clientId: client._id }, 'too many HRM status requests');
        return sendTooManyRequests(res, decision.retryAfterSeconds);
      }
      if (!req.is('application/json')) throw new OAuthError('invalid_request', 'Send the body as application/json: {"ids": [...]}.');
      const parsed = bodySchema.safeParse(req.body);
      if (!parsed.success) throw new OAuthError('invalid_request', parsed.error.issues.map((i) => i.message).join('; '));
      const ids = [...new Set(parsed.data.ids)];
      const found = await usersByIdOrName(services.users, ids);
      const managers = await managerIndex(services, found);
      const now = new Date();
      const users = await Promise.all(
        ids.map(async (id) => {
          const u = found.find((f) => f._id === id) ?? found.find((f) => f.username === normaliseUsername(id));
          if (!u) return { id, status: 'unknown' };
          const claims = await hrClaims(u, config, async (name) => managers.get(name) ?? null, now);
          return { id, sub: u._id, username: u.username, name: u.name, status: claims.employment_status, ...claims };
        }),
      );
      log.info({ event: 'hrm_status', clientId: client._id, asked: ids.length, known: found.length }, 'HRM status batch answered');
      res.json({ users });
    }),
  ];
}

/**
 * The users named by id or by username: two `$in` reads, merged. Not one `$or`: the embedded
 * FerretDB cannot push an `$or` down and would read every user (issue 19 A). The ids first (an
 * `_id $in`, an index search on FerretDB too); only the entries no id matched are then looked up
 * by username, so a batch of subject ids — what the app sends — costs one index search.
 */
async function usersByIdOrName(users: UserStore, ids: string[]): Promise<UserDoc[]> {
  const byId = await users.byIds(ids);
  const matched = new Set(byId.map((u) => u._id));
  const byName = await users.byUsernames([...new Set(ids.filter((id) => !matched.has(id)).map(normaliseUsername))]);
  return [...new Map([...byId, ...byName].map((u) => [u._id, u])).values()];
}

/** One query for every manager the batch names. */
async function managerIndex(services: Services, users: UserDoc[]): Promise<Map<string, UserDoc>> {
  const names = [...new Set(users.map((u) => u.manager).filter((m): m is string => !!m))];
  if (names.length === 0) return new Map();
  const docs = await services.users.byUsernames(names);
  return new Map(docs.map((d) => [d.username, d]));
}
