// Teams a SCIM client manages as Groups: a stable id, the team slug every member carries in
// `teams` (the groups claim and the app's channel mapping key on it) and the display name.
import crypto from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Database } from '../db/connect';
import { AppError } from '../errors';
import { isDuplicateKey } from './users';

export interface PeopleGroupDoc {
  _id: string;
  slug: string;
  displayName: string;
  externalId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export class PeopleGroupStore {
  private indexed?: Promise<unknown>;

  constructor(private readonly db: Database) {}

  private get collection(): Collection<PeopleGroupDoc> {
    return this.db.db.collection<PeopleGroupDoc>('people_groups');
  }

  private async ready(): Promise<void> {
    this.indexed ??= this.collection.createIndex({ slug: 1 }, { unique: true });
    await this.indexed;
  }

  async create(slug: string, displayName: string, externalId?: string): Promise<PeopleGroupDoc> {
    await this.ready();
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
