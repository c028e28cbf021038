// What /healthz and /readyz ask the database: is it there, and is its schema up to date?
import type { Database } from '../db/connect';
import { LATEST_MIGRATION, migrationLevel } from '../db/migrations';

export { LATEST_MIGRATION };

export async function pingDatabase(db: Database): Promise<void> {
  await db.db.command({ ping: 1 });
}

/** The highest schema step applied (db/migrations.ts). */
export function schemaLevel(db: Database): Promise<number> {
  return migrationLevel(db);
}
