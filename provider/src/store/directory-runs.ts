// Directory sync runs: what each did (or why it changed nothing), for the admin page and the CLI.
import crypto from 'node:crypto';
import type { Database } from '../db/database';
import type { DirectoryRunDoc } from '../db/schema';
import { isDuplicateKey } from '../db/errors';

const LOCK = 'directory-sync';

export class DirectoryRunStore {
  constructor(private readonly db: Database) {}

  async start(trigger: DirectoryRunDoc['trigger'], dryRun: boolean): Promise<DirectoryRunDoc> {
    const run: DirectoryRunDoc = { _id: crypto.randomUUID(), startedAt: new Date(), trigger, dryRun, ok: false };
    await this.db.directoryRuns.insertOne(run);
    return run;
  }

  async finish(id: string, result: Pick<DirectoryRunDoc, 'ok' | 'error' | 'summary'>): Promise<void> {
    await this.db.directoryRuns.updateOne({ _id: id }, { $set: { ...result, finishedAt: new Date() } });
  }

  async latest(limit = 10): Promise<DirectoryRunDoc[]> {
    return this.db.directoryRuns.find({}, { sort: { startedAt: -1 }, limit }).toArray();
  }

  /** One sync at a time across instances: a unique claim, taken over when older than `ttlMs` (a crashed run). */
  async lock(ttlMs: number): Promise<boolean> {
    const now = new Date();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.db.claims.insertOne({ _id: LOCK, at: now, expiresAt: new Date(now.getTime() + ttlMs) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const held = await this.db.claims.findOne({ _id: LOCK });
        if (held && held.expiresAt.getTime() > now.getTime()) return false;
        if (held) await this.db.claims.deleteOne({ _id: LOCK, at: held.at });
      }
    }
    return false;
  }

  async unlock(): Promise<void> {
    await this.db.claims.deleteOne({ _id: LOCK });
  }
}
