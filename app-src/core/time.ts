/** Time helpers; every function takes `now` so callers and tests control the clock. */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;

/** Absolute expiry (epoch ms) from an OAuth `expires_in`, or undefined when the provider sent none. */
export function expiryFromExpiresIn(expiresIn: unknown, now: number): number | undefined {
    const seconds = typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : expiresIn;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        return undefined;
    }
    return now + Math.floor(seconds) * SECOND_MS;
}

/** True when the token expires within `skewMs` from now (unknown expiry counts as valid). */
export function isExpired(expiresAt: number | undefined, now: number, skewMs = 5 * SECOND_MS): boolean {
    return typeof expiresAt === 'number' && expiresAt - skewMs <= now;
}
