// Random credentials and their at-rest digests. Tokens, codes and client secrets are
// high-entropy random strings, so a SHA-256 digest is enough to make a database leak useless
// (no slow KDF needed, unlike passwords) and keeps every lookup a single indexed read.
import crypto from 'node:crypto';

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * DOT-like client ids: 40 letters and digits (~238 bits). No `-` or `_`: an id is typed as a CLI
 * argument, and one starting with `-` would be read as an option.
 */
export function randomClientId(): string {
  let id = '';
  while (id.length < 40) {
    for (const byte of crypto.randomBytes(48)) {
      // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && id.length < 40) id += ALPHANUMERIC[byte % 62];
    }
  }
  return id;
}

export function digest(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('base64url');
}

export function timingSafeEqualStrings(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    crypto.timingSafeEqual(ab, ab);
    return false;
  }
  return crypto.timingSafeEqual(ab, bb);
}

/** Compares a presented secret with a stored digest in constant time. */
export function matchesDigest(presented: string, storedDigest: string): boolean {
  return timingSafeEqualStrings(digest(presented), storedDigest);
}
