// "Known browser" for the second sign-in step: after a full two-factor sign-in, the browser gets a
// long-lived cookie `<device id>.<HMAC(secret, device id | user id)>`. While an attacker who knows
// the password holds the account's guessing allowance (or has it locked), a browser presenting a
// valid cookie for that account is counted on its own allowance (key `<user>|<device>`), so the
// owner's correct code is not refused. The cookie proves nothing by itself: the password and a
// code are still needed. Stateless: forging one needs the session secret.
import crypto from 'node:crypto';

export const KNOWN_DEVICE_COOKIE = 'hrm_sso_known_browser';
export const KNOWN_DEVICE_MAX_AGE_SECONDS = 180 * 24 * 3600;

function mac(secret: string, deviceId: string, userId: string): string {
  return crypto.createHmac('sha256', `known-browser:${secret}`).update(`${deviceId}|${userId}`).digest('base64url');
}

export function newKnownDevice(secret: string, userId: string): string {
  const deviceId = crypto.randomBytes(12).toString('base64url');
  return `${deviceId}.${mac(secret, deviceId, userId)}`;
}

/** The device id when `value` is a cookie this server issued for this user, else undefined. */
export function knownDeviceId(secret: string, userId: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  const [deviceId, given, extra] = value.split('.');
  if (!deviceId || !given || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(secret, deviceId, userId));
  const presented = Buffer.from(given);
  return expected.length === presented.length && crypto.timingSafeEqual(expected, presented) ? deviceId : undefined;
}
