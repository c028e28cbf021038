// Resolves a client's token lifetimes: its own settings, else the provider-wide defaults.
import type { Config } from '../../kernel/config';
import type { ClientDoc } from '../../db/schema';

export interface ResolvedLifetimes {
  accessSeconds: number;
  refreshIdleSeconds: number;
  refreshAbsoluteSeconds: number;
}

export function lifetimesFor(client: ClientDoc, config: Config): ResolvedLifetimes {
  return {
    accessSeconds: client.accessTokenLifetime ?? config.ACCESS_TOKEN_EXPIRE_SECONDS,
    refreshIdleSeconds: client.refreshIdleTimeout ?? config.REFRESH_TOKEN_EXPIRE_SECONDS,
    refreshAbsoluteSeconds: client.refreshAbsoluteLifetime ?? config.REFRESH_TOKEN_ABSOLUTE_SECONDS,
  };
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/** A new refresh token's expiry: idle timeout from now, never past the grant's absolute end. */
export function refreshExpiry(now: Date, idleSeconds: number, grantExpiresAt: Date): Date {
  const idle = addSeconds(now, idleSeconds);
  return idle < grantExpiresAt ? idle : grantExpiresAt;
}
