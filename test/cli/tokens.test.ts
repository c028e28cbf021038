// `tokens clear`: drops expired rows and revoked access tokens, keeps what reuse detection needs.
import type { Database } from '../../provider/src/db/connect';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { runCli, runJson } from './run-cli';

let cli: CliDatabase;
let db: Database;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await openCliDatabase('cli_tokens');
  ({ db, env } = cli);
});
afterAll(() => cli?.close());

const base = { clientId: 'c1', userId: 'u1', scope: ['read'], familyId: 'fam', createdAt: new Date() };
const later = () => new Date(Date.now() + 3600_000);
const earlier = () => new Date(Date.now() - 1000);

async function seed() {
  await db.accessTokens.insertMany([
    { ...base, _id: 'a-live', expiresAt: later(), revokedAt: null },
    { ...base, _id: 'a-expired', expiresAt: earlier(), revokedAt: null },
    { ...base, _id: 'a-revoked', expiresAt: later(), revokedAt: new Date() },
  ]);
  await db.refreshTokens.insertMany([
    { ...base, _id: 'r-live', parentId: 'p-live', accessTokenId: 'a-live', expiresAt: later(), revokedAt: null, rotatedAt: null },
    { ...base, _id: 'r-expired', parentId: 'p-expired', accessTokenId: 'a-expired', expiresAt: earlier(), revokedAt: null, rotatedAt: null },
    // Rotated but unexpired: kept, it is what detects refresh-token reuse.
    { ...base, _id: 'r-rotated', parentId: 'p-rotated', accessTokenId: 'a-revoked', expiresAt: later(), revokedAt: new Date(), rotatedAt: new Date() },
  ]);
  await db.codes.insertMany([
    { _id: 'c-live', clientId: 'c1', userId: 'u1', redirectUri: 'https://x/cb', scope: ['read'], expiresAt: later(), usedAt: null, createdAt: new Date() },
    { _id: 'c-expired', clientId: 'c1', userId: 'u1', redirectUri: 'https://x/cb', scope: ['read'], expiresAt: earlier(), usedAt: null, createdAt: new Date() },
  ]);
}

it('--json reports what it removed and removes exactly that', async () => {
  await seed();
  const out = await runJson(['tokens', 'clear'], { env });
  expect(out).toEqual({ access_tokens: 2, refresh_tokens: 1, authorization_codes: 1 });
  expect((await db.accessTokens.find().toArray()).map((d) => d._id)).toEqual(['a-live']);
  expect((await db.refreshTokens.find().toArray()).map((d) => d._id).sort()).toEqual(['r-live', 'r-rotated']);
  expect((await db.codes.find().toArray()).map((d) => d._id)).toEqual(['c-live']);
  expect(await db.audit.countDocuments({ actor: 'cli', action: 'tokens.clear' })).toBe(1);
});

it('prints the counts for people; a second run finds nothing', async () => {
  const r = await runCli(['tokens', 'clear'], { env });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('Removed 0 access token(s), 0 refresh token(s), 0 authorization code(s).\n');
  await db.accessTokens.insertOne({ ...base, _id: 'a-expired-2', expiresAt: earlier(), revokedAt: null });
  const again = await runCli(['tokens', 'clear'], { env });
  expect(again.stdout).toBe('Removed 1 access token(s), 0 refresh token(s), 0 authorization code(s).\n');
  expect(await db.accessTokens.countDocuments()).toBe(1);
});
