// Seals a token response so that only the holder of the refresh token it replaced can open it:
// the key is HKDF-SHA256 of that refresh token, which is stored nowhere (only its digest is).
// This lets a concurrent or retried refresh get the same new pair (DOT's grace period) without
// storing any token in plaintext.
import crypto from 'node:crypto';

const INFO = 'hrm-sso refresh grace v1';

function keyFrom(refreshToken: string, salt: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', Buffer.from(refreshToken, 'utf8'), Buffer.from(salt, 'utf8'), INFO, 32));
}

export function seal(value: unknown, refreshToken: string, salt: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyFrom(refreshToken, salt), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The sealed value, or undefined when the token is not the one it was sealed for. */
export function unseal<T>(sealed: string, refreshToken: string, salt: string): T | undefined {
  try {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = crypto.createDecipheriv('aes-256-gcm', keyFrom(refreshToken, salt), iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
