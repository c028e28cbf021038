// `hrm-sso tokens clear` at a backlog past FerretDB's single-delete limit (~32,000 documents,
// "too many SQL variables"): 40,000 expired tokens and 2,000 revoked access tokens go, in
// bounded delete commands of `{_id}` statements; live tokens and what reuse detection needs stay.
import type { Database } from '../../provider/src/db/connect';
import { CLEAR_BATCH_SIZE } from '../../provider/src/store/tokens';
import { openCliDatabase, type CliDatabase } from '../cli/cli-database';
import { runJson } from '../cli/run-cli';
import { expectPatchedFerretDb } from './support';

const EXPIRED = 40_000;
const REVOKED = 2_000;
const LIVE = 1_000;
let cli: CliDatabase;
let db: Database;

beforeAll(async () => {
  cli = await openCliDatabase('perf_tokens_clear');
  db = cli.db;
  await expectPatchedFerretDb(db.db);
}, 120_000);
afterAll(() => cli?.close());

const token = (id: string, expiresAt: Date, revokedAt: Date | null = null) => ({ _id: id, clientId: 'c', userId: 'u', scope: ['read'], familyId: `f-${id}`, expiresAt, revokedAt, createdAt: new Date(0) });

/** Fast seeder: insertMany of 5,000 (as bench/lib/seed.ts does), half access and half refresh tokens. */
async function seed(prefix: string, count: number, expiresAt: Date, revokedAt: Date | null = null, refresh = true) {
  for (let i = 0; i < count; i += 5000) {
    const n = Math.min(5000, count - i);
    const docs = Array.from({ length: n }, (_, k) => token(`${prefix}${i + k}`, expiresAt, revokedAt));
    const half = refresh ? Math.floor(n / 2) : n;
    await Promise.all([
      db.accessTokens.insertMany(docs.slice(0, half), { ordered: false }),
      half < n ? db.refreshTokens.insertMany(docs.slice(half).map((d) => ({ ...d, parentId: `p-${d._id}`, accessTokenId: 'x', rotatedAt: null })), { ordered: false }) : undefined,
    ]);
  }
}

test(`tokens clear removes ${EXPIRED.toLocaleString('en')} expired and ${REVOKED.toLocaleString('en')} revoked tokens in bounded batches`, async () => {
  const past = new Date(Date.now() - 3600_000);
  const future = new Date(Date.now() + 3600_000);
  await seed('e', EXPIRED, past);
  await seed('r', REVOKED, future, new Date(), false);
  await seed('l', LIVE, future);
  // A revoked refresh token that has not expired stays (it detects reuse).
  await db.refreshTokens.insertOne({ ...token('kept-revoked-refresh', future, new Date()), parentId: 'p-kept', accessTokenId: 'x', rotatedAt: null } as never);

  const out = await runJson(['tokens', 'clear'], { env: cli.env });
  expect(out).toEqual({ access_tokens: EXPIRED / 2 + REVOKED, refresh_tokens: EXPIRED / 2, authorization_codes: 0 });
  expect(await db.accessTokens.countDocuments({})).toBe(LIVE / 2);
  expect(await db.refreshTokens.countDocuments({})).toBe(LIVE / 2 + 1);
  expect(await db.refreshTokens.findOne({ _id: 'kept-revoked-refresh' })).not.toBeNull();
  expect(await db.accessTokens.findOne({ _id: 'l0' })).not.toBeNull();
  // A second run finds nothing.
  expect(await runJson(['tokens', 'clear'], { env: cli.env })).toEqual({ access_tokens: 0, refresh_tokens: 0, authorization_codes: 0 });
}, 300_000);

test('clear() deletes in commands of at most CLEAR_BATCH_SIZE documents, by _id', async () => {
  const past = new Date(Date.now() - 3600_000);
  await seed('b', 2500, past, null, false);
  const sent: Array<{ name: string; command: Record<string, any> }> = [];
  db.client.on('commandStarted', (e) => sent.push({ name: e.commandName, command: e.command }));
  const { tokens } = cli.services;
  expect((await tokens.clear(new Date(), { batchSize: 1000 })).accessTokens).toBe(2500);
  const deletes = sent.filter((e) => e.name === 'delete' && e.command.delete === 'access_tokens');
  expect(deletes.length).toBe(3);
  for (const d of deletes) {
    expect(Object.keys(d.command.deletes[0].q)).toEqual(['_id']);
    expect(d.command.deletes[0].q._id.$in.length).toBeLessThanOrEqual(Math.min(1000, CLEAR_BATCH_SIZE));
  }
});
