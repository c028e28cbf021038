// Admin actions: who did what to which object, and when.
import type { Database } from '../db/connect';
import type { AuditDoc } from '../db/schema';

export class AuditLog {
  constructor(private readonly db: Database) {}

  async record(actor: string, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
    await this.db.audit.insertOne({ at: new Date(), actor, action, target, detail });
  }

  async recent(limit = 200): Promise<AuditDoc[]> {
    return this.db.audit.find({}, { sort: { at: -1 }, limit }).toArray();
  }
}
