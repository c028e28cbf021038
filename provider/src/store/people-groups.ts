// Teams a SCIM client manages as Groups: a stable id, the team slug every member carries in
// `teams` (the groups claim and the app's channel mapping key on it) and the display name.
import crypto from 'node:crypto';
import type { Database } from '../db/database';
import type { PeopleGroupDoc } from '../db/schema';
import { AppError } from '../kernel/errors';
import { isDuplicateKey } from '../db/errors';

export type { PeopleGroupDoc };

export class PeopleGroupStore {
  constructor(private readonly db: Database) {}

  private get collection() {
    return this.db.peopleGroups;
  }

  async create(slug: string, displayName: string, externalId?: string): Promise<PeopleGroupDoc> {
    const now = new Date();
    const doc: PeopleGroupDoc = { _id: crypto.randomUUID(), slug, displayName, ...(externalId ? { externalId } : {}), createdAt: now, updatedAt: now };
    try {
      await this.collection.insertOne(doc);
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('uniqueness', `A group for the team "${slug}" already exists.`, 409);
      throw err;
    }
    return doc;
  }

  async byId(id: string): Promise<PeopleGroupDoc | null> {
    return typeof id === 'string' ? this.collection.findOne({ _id: id }) : null;
  }

  async find(filter: Record<string, unknown>, opts: { skip: number; limit: number }): Promise<{ total: number; docs: PeopleGroupDoc[] }> {
    const [total, docs] = await Promise.all([
      this.collection.countDocuments(filter),
      opts.limit === 0 ? Promise.resolve([]) : this.collection.find(filter, { sort: { createdAt: 1, _id: 1 }, skip: opts.skip, limit: opts.limit }).toArray(),
    ]);
    return { total, docs };
  }

  async update(id: string, set: { displayName: string; externalId?: string | null }): Promise<void> {
    const $set: Record<string, unknown> = { displayName: set.displayName, updatedAt: new Date() };
    if (set.externalId) $set.externalId = set.externalId;
    await this.collection.updateOne({ _id: id }, set.externalId === null ? { $set, $unset: { externalId: '' } } : { $set });
  }

  async remove(id: string): Promise<void> {
    await this.collection.deleteOne({ _id: id });
  }
}
