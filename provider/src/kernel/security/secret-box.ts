// TOTP secrets at rest: sealed with AES-256-GCM (security/seal.ts) under a key derived from
// TWO_FACTOR_ENCRYPTION_KEY, or from a key derived for TOTP sealing from the session secret(s) when it is unset (kernel/secrets.ts;
// secrets sealed under the raw session secret before 0.2 still open and are resealed). The user id is the
// HKDF salt, so a sealed secret copied onto another account does not open there.
import type { Config } from '../config';
import { seal, unseal } from './seal';
import { purposeKeys } from '../secrets';

export class SecretBox {
  private resolved?: string[];

  constructor(private readonly config: Config) {}

  /** The first key seals; every key opens (rotation). Resolved on first use: the CLI's reset needs none. */
  private get keys(): string[] {
    this.resolved ??= [this.config.TWO_FACTOR_ENCRYPTION_KEY, ...purposeKeys(this.config, 'totp-sealing', { legacyRoots: true })].filter((k): k is string => !!k);
    return this.resolved;
  }

  seal(userId: string, secret: string): string {
    return seal({ secret }, `totp:${this.keys[0]}`, `totp:${userId}`);
  }

  /** The secret, and whether it was sealed with an older key (then it should be sealed again). */
  open(userId: string, sealed: string): { secret: string; stale: boolean } | undefined {
    for (const [i, key] of this.keys.entries()) {
      const v = unseal<{ secret: string }>(sealed, `totp:${key}`, `totp:${userId}`);
      if (v) return { secret: v.secret, stale: i > 0 };
    }
    return undefined;
  }
}
