// Recovery codes: ten random one-time codes shown once at set-up; only their SHA-256 digests are
// stored. 16 characters from a 31-letter alphabet (79 bits) make an offline search of a
// database dump hopeless, so a fast digest is enough (unlike passwords).
import crypto from 'node:crypto';
import { digest } from './tokens';

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = 0; i < 16; i++) s += ALPHABET[crypto.randomInt(ALPHABET.length)];
    return s.match(/.{4}/g)!.join('-');
  });
}

/** The typed code in the one spelling that is hashed: lower case, no spaces or dashes. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]+/g, '');
}

export function looksLikeRecoveryCode(typed: string): boolean {
  return /^[a-z0-9]{16}$/.test(normaliseRecoveryCode(typed));
}

export function recoveryCodeDigest(code: string): string {
  return digest(`recovery:${normaliseRecoveryCode(code)}`);
}
