// TOTP (RFC 6238) through otplib: 6 digits, 30-second steps, one step of clock drift either way.
// verify() answers the time step the code belongs to, so callers can refuse a replayed code
// (a code is accepted only for a step later than the last one used).
import { authenticator } from 'otplib';

const STEP_SECONDS = 30;
const totp = authenticator.clone({ window: 1, step: STEP_SECONDS, digits: 6 });

export function newTotpSecret(): string {
  return totp.generateSecret(20); // 160 bits, RFC 4226's recommended length
}

/** The time step a valid code was made for, or undefined. `now` in ms (tests pass their own). */
export function verifyTotp(code: string, secret: string, now = Date.now()): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const at = totp.clone({ epoch: now });
  const delta = at.checkDelta(token, secret);
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / STEP_SECONDS) + delta;
}

/** The code for a secret at a time (tests and the CLI's self-check only). */
export function totpCode(secret: string, now = Date.now()): string {
  return totp.clone({ epoch: now }).generate(secret);
}

/** The otpauth:// URI authenticator apps read from the QR code. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  return totp.keyuri(account, issuer, secret);
}

/** The QR code of the URI as a PNG data: URL (the CSP allows data: images, no script needed). */
export async function qrDataUrl(uri: string): Promise<string> {
  // Loaded when a set-up page needs it, not at every start.
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 232 });
}

/** The secret grouped in fours for typing it by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
