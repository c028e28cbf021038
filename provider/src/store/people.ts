// Lookups and marks the people routes (CSV import, SCIM, directory sync) need on user accounts:
// the whole population for a diff, SCIM pages and filters, team members, and where an account
// came from (source, SCIM externalId, directory entry). domain/people/ reads accounts through here.
import type { Database } from '../db/database';
import type { UserDoc } from '../db/schema';

/** Where an account is kept in sync from; null clears a mark. */
export type PersonMarks = { [K in 'source' | 'externalId' | 'directoryId' | 'scimDeletedAt']?: UserDoc[K] | null };

/** Accounts as the people routes read them (no password hash, no two-factor secret). */
export type PersonDoc = UserDoc;

export class PeopleStore {
  constructor(private readonly db: Database) {}

  private get users() {
    return this.db.users;
  }

  async byEmail(email: string): Promise<PersonDoc | null> {
    return this.users.findOne({ email: email.trim().toLowerCase() });
  }

  async byId(id: string): Promise<PersonDoc | null> {
    return typeof id === 'string' ? this.users.findOne({ _id: id }) : null;
  }

  /** Every account, sorted by username (imports and exports compare whole populations; 10,000 is a few MB). */
  async all(): Promise<PersonDoc[]> {
    return this.users.find({}, { projection: { passwordHash: 0, twoFactor: 0 }, sort: { username: 1 } }).toArray();
  }

  async find(filter: Record<string, unknown>, opts: { skip: number; limit: number }): Promise<{ total: number; docs: PersonDoc[] }> {
    const [total, docs] = await Promise.all([
      this.users.countDocuments(filter),
      opts.limit === 0 ? Promise.resolve([]) : this.users.find(filter, { projection: { passwordHash: 0, twoFactor: 0 }, sort: { createdAt: 1, _id: 1 }, skip: opts.skip, limit: opts.limit }).toArray(),
    ]);
    return { total, docs };
  }

  async byUsernames(usernames: string[]): Promise<PersonDoc[]> {
    if (usernames.length === 0) return [];
    return this.users.find({ username: { $in: usernames } }, { projection: { passwordHash: 0, twoFactor: 0 } }).toArray();
  }

  async setMarks(id: string, marks: PersonMarks): Promise<void> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const [k, v] of Object.entries(marks)) {
      if (v === undefined) continue;
      if (v === null) $unset[k] = '';
      else $set[k] = v;
    }
    if (Object.keys($set).length === 0 && Object.keys($unset).length === 0) return;
    await this.users.updateOne({ _id: id }, { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) });
  }

  /** Accounts in a team (not those a SCIM client deleted). */
  async teamMembers(slug: string): Promise<PersonDoc[]> {
    return this.users.find({ teams: slug, scimDeletedAt: { $exists: false } }, { projection: { _id: 1, username: 1, teams: 1 }, sort: { username: 1 } }).toArray();
  }

  /** Department names in use (not counting accounts a SCIM client deleted). */
  async departmentNames(): Promise<string[]> {
    const names = await this.users.distinct('department', { scimDeletedAt: { $exists: false } });
    return names.filter((n): n is string => typeof n === 'string' && n.trim() !== '');
  }

  /** Accounts whose department is one of `names`. */
  async departmentMembers(names: string[]): Promise<PersonDoc[]> {
    return this.users.find({ department: { $in: names }, scimDeletedAt: { $exists: false } }, { projection: { _id: 1, username: 1 }, sort: { username: 1 } }).toArray();
  }
}
