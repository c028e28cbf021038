// The root secret(s) and one key per purpose derived from them with HKDF-SHA256 (RFC 5869), so a
// key that leaks from one use (say a CSRF cookie's HMAC) says nothing about another (TOTP sealing).
//
// Rotation: SESSION_SECRETS="new,old". The first root derives the keys that sign and seal; every
// root's keys still verify and open, so cookies, CSRF tokens and sealed TOTP secrets made under
// the old root keep working until they expire (TOTP secrets are resealed under the new key on next
// use). Drop the old root once SESSION_MAX_AGE_SECONDS has passed and every account signed in once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

export type SecretPurpose = 'session-cookie' | 'csrf' | 'rate-limit-keys' | 'totp-sealing' | 'known-browser';

/** SESSION_SECRETS / SESSION_SECRET (the first is current), or in development a secret generated once and kept in DATA_DIR. */
export function rootSecrets(config: Config): string[] {
  if (config.sessionSecrets?.length) return config.sessionSecrets;
  const file = path.join(config.DATA_DIR, 'session-secret');
  try {
    return [fs.readFileSync(file, 'utf8').trim()];
  } catch {
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    const secret = crypto.randomBytes(48).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    } catch {
      // Another process wrote it first: use theirs.
    }
    return [fs.readFileSync(file, 'utf8').trim()];
  }
}

export function deriveKey(root: string, purpose: SecretPurpose): string {
  return Buffer.from(crypto.hkdfSync('sha256', root, 'hrm-sso', purpose, 32)).toString('base64url');
}

/** The purpose's keys, current first. `legacyRoots` appends the raw roots (used directly before 0.2) so they still verify. */
export function purposeKeys(config: Config, purpose: SecretPurpose, opts: { legacyRoots?: boolean } = {}): string[] {
  const roots = rootSecrets(config);
  const keys = roots.map((root) => deriveKey(root, purpose));
  return opts.legacyRoots ? [...keys, ...roots] : keys;
}
