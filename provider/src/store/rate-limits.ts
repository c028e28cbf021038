// Fixed-window rate limits that hold under concurrency on MongoDB and on the embedded FerretDB.
//
// FerretDB v1 does not apply `$inc`/findAndModify atomically (334 concurrent increments of one
// counter left 4), but a unique `_id` is enforced by SQLite: of concurrent inserts of one `_id`
// exactly one succeeds. So a window's allowance of `limit` requests is laid out as numbered
// slots, grouped in blocks, and a process spends a slot only after it has inserted the document
// of the block holding it ("claimed" it). Claims are unique, so all processes together can never
// spend more than `limit` slots in a window, whatever the concurrency.
//
// Stage one is in process: a claimed block's slots are spent from memory without a database
// write. Blocks shrink towards the end of the window's allowance (each is 1/8 of what is left,
// the last ones a single slot), so far from the limit one write buys many requests and near it
// every request is checked against the shared store; a process never holds more than 1/8 of
// what was left when it claimed. Once a key's last block is taken, its requests are refused
// from memory until the window ends.
import type { Database } from '../db/connect';
import { isDuplicateKey } from '../db/errors';
import { trackExpiry } from '../db/expiry';

export interface LimitDecision {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

interface KeyState {
  window: number;
  nextBlock: number;
  /** Slots of claimed blocks not spent yet (in this process). */
  free: number;
  exhausted: boolean;
  /** After the last block was seen taken, probe the layout once more: a reset may have freed blocks. */
  reprobed: boolean;
  claiming?: Promise<void>;
}

export interface SlotLimiterOptions {
  /** Prefix of the stored `_id`s, e.g. `login-account:`. */
  prefix: string;
  limit: number;
  windowMs: number;
  /** Claim several slots per write (see above). Off for keys that get reset, so no process keeps slots a reset deleted. */
  leases: boolean;
  now?: () => number;
}

/** Block sizes for a limit with leases: each 1/8 of what remains, at least 1 (about 8·ln(limit/8)+8 blocks). */
export function leaseLayout(limit: number): number[] {
  const sizes: number[] = [];
  for (let left = limit; left > 0; ) {
    const size = Math.max(1, Math.floor(left / 8));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** How many of a key's blocks a reset deletes (see reset). */
const RESET_BLOCKS = 100;

export class SlotLimiter {
  private readonly states = new Map<string, KeyState>();
  /** Sizes of the blocks with leases; without, every block is one slot. */
  private readonly leaseSizes?: number[];
  private readonly blockCount: number;
  private readonly now: () => number;

  constructor(private readonly db: Database, private readonly opts: SlotLimiterOptions) {
    this.leaseSizes = opts.leases ? leaseLayout(opts.limit) : undefined;
    this.blockCount = this.leaseSizes?.length ?? opts.limit;
    this.now = opts.now ?? Date.now;
  }

  private blockSize(block: number): number {
    return this.leaseSizes ? this.leaseSizes[block] : 1;
  }

  get limit(): number {
    return this.opts.limit;
  }

  /** Spends one slot of `key`'s allowance in the current window, or says it is used up. */
  async take(key: string): Promise<LimitDecision> {
    for (;;) {
      const window = this.currentWindow();
      const state = this.stateFor(key, window);
      if (state.free > 0) {
        state.free--;
        return this.decision(true, window);
      }
      if (state.exhausted) return this.decision(false, window);
      if (state.claiming) {
        await state.claiming;
        continue;
      }
      state.claiming = this.claimNextBlock(key, state).finally(() => (state.claiming = undefined));
      await state.claiming;
    }
  }

  /** Gives back a slot spent by `take` (in process: the block stays claimed, so this never loosens the limit). */
  give(key: string): void {
    const state = this.states.get(key);
    if (state && state.window === this.currentWindow()) state.free++;
  }

  /** Forgets every slot `key` spent in the current window, in every process (e.g. failures after a good login). */
  async reset(key: string): Promise<void> {
    const window = this.currentWindow();
    this.states.delete(key);
    // One command of `{_id}` deletes (each an index search on FerretDB, unlike an `_id` range or
    // `$in`). Blocks are claimed from 0 upwards, so the first RESET_BLOCKS cover every count a
    // sign-in limit reaches; beyond, leftovers only keep the limit stricter until the window ends.
    const count = Math.min(this.blockCount, RESET_BLOCKS);
    await this.db.rateLimits.bulkWrite(
      Array.from({ length: count }, (_, block) => ({ deleteOne: { filter: { _id: this.blockId(key, window, block) } } })),
      { ordered: false },
    );
  }

  private async claimNextBlock(key: string, state: KeyState): Promise<void> {
    while (state.nextBlock < this.blockCount) {
      const block = state.nextBlock++;
      if (await this.claim(key, state.window, block)) {
        state.free += this.blockSize(block);
        return;
      }
    }
    if (!state.reprobed && !this.opts.leases) {
      state.reprobed = true;
      state.nextBlock = 0;
      return this.claimNextBlock(key, state);
    }
    state.exhausted = true;
  }

  private async claim(key: string, window: number, block: number): Promise<boolean> {
    try {
      const id = this.blockId(key, window, block);
      const resetAt = new Date((window + 1) * this.opts.windowMs);
      await this.db.rateLimits.insertOne({ _id: id, hits: this.blockSize(block), resetAt });
      // Due for the sweeper (FerretDB) when the window ends.
      await trackExpiry(this.db, [{ collection: 'rate_limits', id, expiresAt: resetAt }]);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  private blockId(key: string, window: number, block: number): string {
    return `${this.opts.prefix}${key}|${window}|${block}`;
  }

  private currentWindow(): number {
    return Math.floor(this.now() / this.opts.windowMs);
  }

  private stateFor(key: string, window: number): KeyState {
    let state = this.states.get(key);
    if (!state || state.window !== window) {
      if (this.states.size > 10000) this.forgetOldWindows(window);
      state = { window, nextBlock: 0, free: 0, exhausted: false, reprobed: false };
      this.states.set(key, state);
    }
    return state;
  }

  private forgetOldWindows(window: number): void {
    for (const [k, s] of this.states) if (s.window !== window && !s.claiming) this.states.delete(k);
  }

  private decision(allowed: boolean, window: number): LimitDecision {
    return { allowed, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * this.opts.windowMs - this.now()) / 1000)) };
  }
}
