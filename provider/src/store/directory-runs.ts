// Directory sync runs: what each did (or why it changed nothing), for the admin page and the CLI.
import crypto from 'node:crypto';
import type { Database } from '../db/database';
import type { DirectoryRunDoc } from '../db/schema';

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
}
