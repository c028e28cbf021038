// The HR fields of an account (domain/hr/employment.ts decides what changes; this writes it).
import type { Database } from '../db/connect';
import type { UserDoc } from '../db/schema';

export async function userExists(db: Database, username: string): Promise<boolean> {
  return (await db.users.findOne({ username }, { projection: { _id: 1 } })) !== null;
}

/** Sets and clears fields in one update; the account after it, or null when it is gone. */
export function writeEmployment(db: Database, userId: string, set: Partial<UserDoc>, unset: Record<string, ''>): Promise<UserDoc | null> {
  return db.users.findOneAndUpdate({ _id: userId }, Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set }, { returnDocument: 'after' });
}
