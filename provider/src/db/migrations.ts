// Numbered schema steps, recorded in the database (collection `schema_migrations`) and run at
// start-up by every process that connects (or by `hrm-sso migrate`). Each step is idempotent, so
// two instances starting together may both run one without harm. Indexes are declared separately
// (connect.ts ensureIndexes) because creating an index that exists is already a no-op.
import type { Database } from './database';
import type { MigrationDoc } from './schema';
import { isDuplicateKey } from './errors';

export interface Migration {
  id: number;
  name: string;
  up(d: Database): Promise<void>;
}

export type { MigrationDoc } from './schema';

const CLIENT_FLAGS = ['skipAuthorization', 'requirePkce', 'allowPlainPkce', 'allowQueryCredentials', 'allowTokenOnlyRevocation'] as const;

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'clients: store every flag explicitly (older clients relied on a missing field meaning false)',
    async up(d) {
      for (const flag of CLIENT_FLAGS) await d.clients.updateMany({ [flag]: { $exists: false } }, { $set: { [flag]: false } });
    },
  },
  {
    id: 2,
    name: 'refresh tokens: rotatedAt is null when the token was never rotated',
    async up(d) {
      await d.refreshTokens.updateMany({ rotatedAt: { $exists: false } }, { $set: { rotatedAt: null } });
    },
  },
  {
    id: 3,
    name: 'users: active and admin are stored explicitly',
    async up(d) {
      await d.users.updateMany({ active: { $exists: false } }, { $set: { active: true } });
      await d.users.updateMany({ admin: { $exists: false } }, { $set: { admin: false } });
    },
  },
  {
    id: 4,
    name: "refresh tokens: a unique parentId (rotation's single-use step); older tokens get a legacy one first",
    async up(d) {
      for await (const legacy of d.refreshTokens.find({ parentId: { $exists: false } }, { projection: { _id: 1 } })) {
        await d.refreshTokens.updateOne({ _id: legacy._id }, { $set: { parentId: `legacy:${legacy._id}` } });
      }
      await d.refreshTokens.createIndex({ parentId: 1 }, { unique: true });
    },
  },
];

export const LATEST_MIGRATION = Math.max(0, ...MIGRATIONS.map((m) => m.id));

/** Applies every step not yet recorded, in order; returns the ids it applied. */
export async function runMigrations(d: Database): Promise<number[]> {
  const done = new Set((await d.migrations.find({}, { projection: { _id: 1 } }).toArray()).map((m) => m._id));
  const applied: number[] = [];
  for (const m of [...MIGRATIONS].sort((a, b) => a.id - b.id)) {
    if (done.has(m.id)) continue;
    await m.up(d);
    // Upsert, not insert: a second instance that ran the same step concurrently is not an error.
    // Two concurrent upserts of a missing _id can still collide (FerretDB, and MongoDB too): the loser's E11000 means "recorded".
    await d.migrations.updateOne({ _id: m.id }, { $setOnInsert: { name: m.name, appliedAt: new Date() } }, { upsert: true }).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
    applied.push(m.id);
  }
  return applied;
}

/** The highest step recorded in the database (0 for a fresh one). */
export async function migrationLevel(d: Database): Promise<number> {
  const last = await d.migrations.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray();
  return last[0]?._id ?? 0;
}
