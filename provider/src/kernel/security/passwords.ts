// Password hashing with scrypt (memory-hard, built into Node: no native add-on to build).
// Format: scrypt$N$r$p$salt$hash (base64url), so the cost can be raised without breaking old
// hashes: a login with a hash weaker than the configured cost re-hashes it (needsRehash).
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { timingSafeEqualStrings } from './tokens';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const KEY_LEN = 32;
const BLOCK_SIZE = 8;

/** scrypt's CPU/memory cost N and parallelisation p (the block size r is always 8). */
export interface ScryptCost {
  cost: number;
  parallelism: number;
}

function maxmem(N: number, r: number): number {
  return 128 * N * r + 2 * 1024 * 1024;
}

export async function hashPassword(password: string, params: ScryptCost): Promise<string> {
  const salt = crypto.randomBytes(16);
  const { cost, parallelism } = params;
  const key = await scrypt(password, salt, KEY_LEN, { N: cost, r: BLOCK_SIZE, p: parallelism, maxmem: maxmem(cost, BLOCK_SIZE) });
  return ['scrypt', cost, BLOCK_SIZE, parallelism, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string | undefined): { N: number; r: number; p: number; salt: string; hash: string } | undefined {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (![N, R, P].every((v) => Number.isInteger(v) && v > 0)) return undefined;
  return { N, r: R, p: P, salt, hash };
}

/**
 * Checks a password against a stored hash. Without a usable hash (unknown user, no password
 * set) it does the same work at the configured cost, so timing does not tell which usernames exist.
 */
export async function verifyPassword(password: string, stored: string | undefined, configured: ScryptCost): Promise<boolean> {
  const h = parse(stored);
  if (!h) {
    await hashPassword(password, configured);
    return false;
  }
  const key = await scrypt(password, Buffer.from(h.salt, 'base64url'), KEY_LEN, { N: h.N, r: h.r, p: h.p, maxmem: maxmem(h.N, h.r) });
  return timingSafeEqualStrings(key.toString('base64url'), h.hash);
}

/** True when a stored hash costs less work than the configured parameters (re-hash it at login). */
export function needsRehash(stored: string | undefined, configured: ScryptCost): boolean {
  const h = parse(stored);
  if (!h) return false;
  return h.N * h.r * h.p < configured.cost * BLOCK_SIZE * configured.parallelism || h.N < configured.cost;
}
