// The known-browser cookie of the second sign-in step (domain/two-factor/known-device.ts): read it
// for an account, and give it to a browser that just completed a two-factor sign-in or set-up.
import type { Request, Response } from 'express';
import type { Config } from '../../kernel/config';
import { purposeKeys } from '../../kernel/secrets';
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_MAX_AGE_SECONDS, knownDeviceId, newKnownDevice } from '../../domain/two-factor/known-device';
import { readCookie } from './cookies';

/** The device id when this browser completed a two-factor sign-in of `userId` before (any current or older key). */
export function knownBrowser(req: Request, config: Config, userId: string): string | undefined {
  const value = readCookie(req, KNOWN_DEVICE_COOKIE);
  if (!value) return undefined;
  for (const key of purposeKeys(config, 'known-browser')) {
    const id = knownDeviceId(key, userId, value);
    if (id) return id;
  }
  return undefined;
}

export function rememberBrowser(req: Request, res: Response, config: Config, userId: string): void {
  if (knownBrowser(req, config, userId)) return;
  res.cookie(KNOWN_DEVICE_COOKIE, newKnownDevice(purposeKeys(config, 'known-browser')[0], userId), {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/accounts/',
    maxAge: KNOWN_DEVICE_MAX_AGE_SECONDS * 1000,
  });
}
