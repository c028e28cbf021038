// Reads documents by `_id`, merging the lookups that arrive while the database is busy into one
// `{_id: {$in: [...]}}` read (patch 0002 sends it to SQLite as an index search; on MongoDB it is an
// index lookup too). Under load — every userinfo and introspection reads its token — one command
// then serves several requests: fewer round trips for the driver and the database (issue #21 B).
//
// What it never does: answer from memory, or attach a lookup to a read already sent. A lookup
// waits for a read that starts after it was asked for, so anything committed before the request
// arrived (a revocation, a deactivation) is seen — the same guarantee as one findOne per request.
// With nothing in flight a lookup is sent at once, so an idle server adds no latency.
import type { Collection, Document, Filter } from 'mongodb';

/** Lookups merged into one read at most (the $in pushdown of patch 0002 takes up to 1,000). */
export const MAX_IDS_PER_READ = 100;

interface Waiter<T> {
  resolve: (doc: T | null) => void;
  reject: (err: unknown) => void;
}

export class IdBatchReader<T extends Document & { _id: string }> {
  private readonly waiting = new Map<string, Array<Waiter<T>>>();
  private inFlight = 0;

  /**
   * maxInFlight: reads sent side by side; lookups beyond wait for one to come back. One (the
   * default) makes the largest batches: on the 2-core bench it gave userinfo 2,615-3,071 rps
   * against 2,021-2,046 with two in flight, and a lower p99 (docs/performance.md, third pass).
   */
  constructor(
    private readonly collection: Pick<Collection<T>, 'findOne' | 'find'>,
    private readonly maxInFlight = 1,
  ) {}

  get(id: string): Promise<T | null> {
    const found = this.enqueue(id);
    this.send();
    return found;
  }

  /** Several ids, queued together so that they travel in one read when nothing else waits. */
  async getMany(ids: string[]): Promise<T[]> {
    const found = [...new Set(ids)].map((id) => this.enqueue(id));
    this.send();
    return (await Promise.all(found)).filter((d): d is Awaited<T> => d !== null);
  }

  private enqueue(id: string): Promise<T | null> {
    return new Promise<T | null>((resolve, reject) => {
      const list = this.waiting.get(id);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(id, [{ resolve, reject }]);
    });
  }

  private send(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.size > 0) {
      const batch = new Map<string, Array<Waiter<T>>>();
      for (const [id, list] of this.waiting) {
        batch.set(id, list);
        this.waiting.delete(id);
        if (batch.size >= MAX_IDS_PER_READ) break;
      }
      this.inFlight++;
      this.read([...batch.keys()]).then(
        (docs) => {
          const byId = new Map(docs.map((d) => [d._id, d]));
          for (const [id, list] of batch) {
            const doc = byId.get(id) ?? null;
            // The same token presented twice at once: each caller gets its own copy.
            list.forEach((w, i) => w.resolve(i === 0 || doc === null ? doc : structuredClone(doc)));
          }
        },
        (err) => {
          for (const list of batch.values()) for (const w of list) w.reject(err);
        },
      ).finally(() => {
        this.inFlight--;
        this.send();
      });
    }
  }

  private async read(ids: string[]): Promise<T[]> {
    if (ids.length === 1) {
      const doc = await this.collection.findOne({ _id: ids[0] } as Filter<T>);
      return doc ? [doc as T] : [];
    }
    return (await this.collection.find({ _id: { $in: ids } } as Filter<T>, { batchSize: ids.length + 1 }).toArray()) as T[];
  }
}
