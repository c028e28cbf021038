// Fast seeder: filler tokens in bulk (insertMany of 10,000, two in flight, each carrying its
// expiry bucket as the provider writes it on FerretDB), and the working set through the provider's own
// model (so seeded tokens have whatever shape the provider stores today).
import type { Config } from '../../provider/src/kernel/config';
import type { Database } from '../../provider/src/db/connect';
import { createServices } from '../../provider/src/domain/services';
import { createOAuthModel } from '../../provider/src/domain/oauth/model';
import { createLogger } from '../../provider/src/kernel/log';
import { digest, randomToken } from '../../provider/src/kernel/security/tokens';
import { bucketKey } from '../../provider/src/db/expiry';

const BATCH = 10_000;

/** Adds `count` filler tokens, half access and half refresh tokens, expiring over the next 10 hours. */
export async function seedFiller(d: Database, count: number, onProgress?: (done: number) => void): Promise<void> {
  let done = 0;
  const oneBatch = async (n: number) => {
    const now = Date.now();
    const access = [];
    const refresh = [];
    for (let i = 0; i < n; i++) {
      const expiresAt = new Date(now + 60_000 + Math.floor(Math.random() * 10 * 3600_000));
      const familyId = randomToken(12);
      const accessId = digest(randomToken());
      if (i % 2 === 0) access.push({ _id: accessId, clientId: 'filler', userId: 'filler', scope: ['read'], familyId, expiresAt, revokedAt: null, createdAt: new Date(now), sweepBucket: bucketKey(expiresAt) });
      else refresh.push({ _id: digest(randomToken()), clientId: 'filler', userId: 'filler', scope: ['read'], familyId, accessTokenId: accessId, expiresAt, revokedAt: null, rotatedAt: null, createdAt: new Date(now), sweepBucket: bucketKey(expiresAt) });
    }
    await Promise.all([
      access.length ? d.accessTokens.insertMany(access as never[], { ordered: false }) : undefined,
      refresh.length ? d.refreshTokens.insertMany(refresh as never[], { ordered: false }) : undefined,
    ]);
    done += n;
    onProgress?.(done);
  };
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= BATCH) sizes.push(Math.min(BATCH, left));
  for (let i = 0; i < sizes.length; i += 2) await Promise.all(sizes.slice(i, i + 2).map(oneBatch));
}

export interface WorkingSet {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  redirectUri: string;
  accessToken: string;
}

export const BENCH_PASSWORD = 'correct horse battery staple';

/** The user, the client and one valid access token, created the way the provider does. */
export async function seedWorkingSet(config: Config, d: Database): Promise<WorkingSet> {
  const services = createServices(config, d);
  const username = `bench${Date.now()}`;
  const user = await services.users.create({ username, email: `${username}@example.com`, name: 'Bench User', password: BENCH_PASSWORD });
  const redirectUri = 'http://127.0.0.1:9/callback';
  const { client, clientSecret } = await services.clients.create({ name: 'bench', redirectUris: [redirectUri], grants: ['authorization_code', 'refresh_token', 'password', 'client_credentials'] } as never);
  const accessToken = (await issue(config, d, client._id, user._id, 1))[0].accessToken;
  return { clientId: client._id, clientSecret: clientSecret as string, username, password: BENCH_PASSWORD, redirectUri, accessToken };
}

function model(config: Config, d: Database) {
  const services = createServices(config, d);
  return { services, model: createOAuthModel({ config, clock: services.clock, clients: services.clients, users: services.users, tokens: services.tokens, passkeys: services.passkeys.store, log: createLogger('silent'), twoFactor: services.twoFactor }) };
}

/** `n` access + refresh token pairs through the provider's saveToken, 16 at a time. */
export async function issue(config: Config, d: Database, clientId: string, userId: string, n: number): Promise<Array<{ accessToken: string; refreshToken: string }>> {
  const { services, model: m } = model(config, d);
  const client = await m.getClient(clientId, '');
  const user = (await services.users.byId?.(userId)) ?? { id: userId };
  const out: Array<{ accessToken: string; refreshToken: string }> = [];
  const one = async () => {
    const accessToken = randomToken(32);
    const refreshToken = randomToken(32);
    const now = Date.now();
    await m.saveToken(
      { accessToken, refreshToken, accessTokenExpiresAt: new Date(now + config.ACCESS_TOKEN_EXPIRE_SECONDS * 1000), refreshTokenExpiresAt: new Date(now + config.REFRESH_TOKEN_EXPIRE_SECONDS * 1000), scope: ['read'] } as never,
      client as never,
      { ...(user as object), id: userId } as never,
    );
    out.push({ accessToken, refreshToken });
  };
  for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: Math.min(16, n - i) }, one));
  return out;
}

/** `n` authorization codes through the provider's saveAuthorizationCode. */
export async function issueCodes(config: Config, d: Database, clientId: string, userId: string, redirectUri: string, n: number): Promise<string[]> {
  const { services, model: m } = model(config, d);
  const client = await m.getClient(clientId, '');
  const user = (await services.users.byId?.(userId)) ?? { id: userId };
  const out: string[] = [];
  const one = async () => {
    const code = randomToken(32);
    await m.saveAuthorizationCode({ authorizationCode: code, expiresAt: new Date(Date.now() + 3600_000), redirectUri, scope: ['read'] } as never, client as never, { ...(user as object), id: userId } as never);
    out.push(code);
  };
  for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: Math.min(16, n - i) }, one));
  return out;
}
