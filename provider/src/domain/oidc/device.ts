// RFC 8628 device authorization grant: device and user codes, the user's decision, and the
// grant type the token endpoint runs (through @node-oauth/oauth2-server's extendedGrantTypes)
// with authorization_pending, slow_down, access_denied and expired_token answers.
import crypto from 'node:crypto';
import { AbstractGrantType, InvalidGrantError, InvalidRequestError, OAuthError as LibraryError, type Client, type Request as LibraryRequest, type Token, type User } from '@node-oauth/oauth2-server';
import type { Config } from '../../kernel/config';
import { digest, randomToken } from '../../kernel/security/tokens';
import type { TokenStore } from '../../store/tokens';
import type { DeviceCodeStore } from '../../store/device-codes';
import type { DeviceCodeDoc } from '../../db/oidc-schema';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** No vowels: no words in codes; no digits: nothing to confuse with letters (RFC 8628 §6.1). */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What people type: any case, with or without the dash or spaces. */
export function normalizeUserCode(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/.test(code) ? code : undefined;
}

function randomUserCode(): string {
  return Array.from(crypto.randomBytes(8), (b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
}

/** RFC 8628 §3.5 answers are ordinary 400 token errors; the library's error class carries them through. */
export type PollOutcome = { kind: 'approved'; doc: DeviceCodeDoc } | { kind: 'error'; error: LibraryError };

export class DeviceCodes {
  constructor(
    private readonly store: DeviceCodeStore,
    private readonly config: Config,
    private readonly tokens: TokenStore,
  ) {}

  async create(clientId: string, scope: string[], now = new Date()): Promise<{ deviceCode: string; doc: DeviceCodeDoc }> {
    const deviceCode = randomToken(32);
    for (let attempt = 0; ; attempt++) {
      const doc: DeviceCodeDoc = {
        _id: digest(deviceCode),
        userCode: randomUserCode(),
        clientId,
        scope,
        status: 'pending',
        interval: this.config.DEVICE_CODE_INTERVAL_SECONDS,
        lastPollAt: null,
        expiresAt: new Date(now.getTime() + this.config.DEVICE_CODE_EXPIRE_SECONDS * 1000),
        createdAt: now,
      };
      if (await this.store.insert(doc)) return { deviceCode, doc };
      // A user-code collision (unique index): draw again.
      if (attempt >= 4) throw new Error('Could not draw a free device user code in 5 attempts.');
    }
  }

  /** The pending, unexpired authorization a typed user code stands for. */
  async pendingByUserCode(input: unknown, now = new Date()): Promise<DeviceCodeDoc | null> {
    const userCode = normalizeUserCode(input);
    if (!userCode) return null;
    const doc = await this.store.byUserCode(userCode);
    return doc && doc.status === 'pending' && doc.expiresAt > now ? doc : null;
  }

  async decide(id: string, decision: { approved: boolean; userId: string }): Promise<boolean> {
    return this.store.decide(id, decision.approved ? 'approved' : 'denied', decision.userId);
  }

  /** One poll of the token endpoint (RFC 8628 §3.4–3.5). */
  async poll(deviceCode: string, clientId: string, now = new Date()): Promise<PollOutcome> {
    const fail = (code: string, description: string): PollOutcome => ({ kind: 'error', error: new LibraryError(description, { code: 400, name: code }) });
    const doc = await this.store.byId(digest(deviceCode));
    if (!doc || doc.clientId !== clientId) return fail('invalid_grant', 'Unknown device_code.');
    if (doc.expiresAt <= now) return fail('expired_token', 'The device_code has expired: start a new device authorization.');
    if (doc.status === 'denied') return fail('access_denied', 'The user declined the authorization.');
    if (doc.status === 'approved') {
      // Exchanged exactly once.
      if (!(await this.tokens.claimOnce(`device:${doc._id}`, doc.expiresAt))) return fail('invalid_grant', 'The device_code was already used.');
      return { kind: 'approved', doc };
    }
    const slowDown = () => fail('slow_down', `Polling too fast: wait at least ${doc.interval + 5} seconds between requests.`);
    const tooSoon = doc.lastPollAt && now.getTime() - doc.lastPollAt.getTime() < doc.interval * 1000;
    // Parallel polls all read the same lastPollAt: only the one that moves it forward from that
    // value counts as a poll; the others polled too fast. The conditional update decides on
    // MongoDB; FerretDB v1 applies updates as read-then-write (two can "match"), so a unique
    // claim on the value read — the one atomic step there (store/rate-limits.ts) — picks one.
    const moved = await this.store.movePoll(doc._id, doc.lastPollAt, now, tooSoon ? doc.interval + 5 : undefined);
    if (!moved || !(await this.tokens.claimOnce(`device-poll:${doc._id}:${doc.lastPollAt?.getTime() ?? 'first'}`, doc.expiresAt))) return slowDown();
    if (tooSoon) return slowDown();
    return fail('authorization_pending', 'The user has not finished the authorization yet.');
  }
}

/** The grant type class @node-oauth/oauth2-server instantiates for each device_code token request. */
export function deviceCodeGrantType(devices: DeviceCodes) {
  return class DeviceCodeGrantType extends AbstractGrantType {
    async handle(request: LibraryRequest, client: Client) {
      const deviceCode = request.body?.device_code;
      if (typeof deviceCode !== 'string' || deviceCode === '') throw new InvalidRequestError('Missing parameter: `device_code`');
      const outcome = await devices.poll(deviceCode, client.id);
      if (outcome.kind === 'error') throw outcome.error;
      const { doc } = outcome;
      if (!doc.userId) throw new InvalidGrantError('Invalid grant: the device authorization has no user');
      const user = { id: doc.userId, familyId: doc._id };
      const scope = doc.scope;
      const token: Record<string, unknown> = {
        accessToken: await this.generateAccessToken(client, user, scope),
        accessTokenExpiresAt: this.getAccessTokenExpiresAt(),
        scope,
      };
      if (client.grants.includes('refresh_token')) {
        token.refreshToken = await this.generateRefreshToken(client, user, scope);
        token.refreshTokenExpiresAt = this.getRefreshTokenExpiresAt();
      }
      const model = (this as unknown as { model: { saveToken(t: Token, c: Client, u: User): Promise<Token> } }).model;
      return model.saveToken(token as unknown as Token, client, user);
    }
  };
}
