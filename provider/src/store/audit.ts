// Admin actions: who did what to which object, and when.
import type { Database } from '../db/connect';
import type { AuditDoc } from '../db/schema';
import { ObjectId, type Filter } from 'mongodb';
import { trackExpiry } from '../db/expiry';

export class AuditLog {
  /** retentionDays: AUDIT_RETENTION_DAYS (0 = forever). */
  constructor(private readonly db: Database, private readonly retentionDays = 0) {}

  async record(actor: string, action: string, target: string, detail?: Record<string, unknown>): Promise<void> {
    const _id = new ObjectId();
    const at = new Date();
    await Promise.all([
      this.db.audit.insertOne({ _id, at, actor, action, target, detail }),
      this.retentionDays > 0 ? trackExpiry(this.db, [{ collection: 'audit_log', id: _id, expiresAt: new Date(at.getTime() + this.retentionDays * 86400_000) }]) : undefined,
    ]);
  }

  async recent(limit = 200): Promise<AuditDoc[]> {
    return this.db.audit.find({}, { sort: { at: -1 }, limit }).toArray();
  }

  /**
   * One page of entries matching `query`, newest first, and whether another page follows (read
   * as one extra row: no count over the whole log).
   */
  async page(query: Filter<AuditDoc>, page: number, size: number): Promise<{ entries: AuditDoc[]; hasNext: boolean }> {
    const rows = await this.db.audit.find(query, { sort: { at: -1 }, skip: (page - 1) * size, limit: size + 1 }).toArray();
    return { entries: rows.slice(0, size), hasNext: rows.length > size };
  }
}
