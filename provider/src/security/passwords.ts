// Password hashing with scrypt (memory-hard, built into Node: no native add-on to build).
// Format: scrypt$N$r$p$salt$hash (base64url), so the cost can be raised without breaking old hashes.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { timingSafeEqualStrings } from './tokens';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const KEY_LEN = 32;

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = crypto.randomBytes(16);
  const r = 8;
  const p = 1;
  const key = await scrypt(password, salt, KEY_LEN, { N: cost, r, p, maxmem: 256 * cost * r + 1024 * 1024 });
  return ['scrypt', cost, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Same work for unknown users / unusable hashes, so timing does not reveal which usernames exist.
    await hashPassword(password, 32768);
    return false;
  }
  const [, n, r, p, salt, hash] = parts;
  const N = Number(n);
  const R = Number(r);
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), KEY_LEN, { N, r: R, p: Number(p), maxmem: 256 * N * R + 1024 * 1024 });
  return timingSafeEqualStrings(key.toString('base64url'), hash);
}
