// Password guessing limits shared by the sign-in form and the password grant: failed attempts
// per client IP, and per account across all IPs (reset by a successful sign-in). A slot is taken
// *before* the password is checked and given back only on success, so concurrent guesses
// cannot all pass a check made before any of them failed.
import crypto from 'node:crypto';
import { normaliseUsername } from '../../store/users';
import type { SlotLimiter } from '../../store/rate-limits';

export type LoginAttempt =
  | { allowed: true; succeeded(): Promise<void>; failed(): void }
  | { allowed: false; retryAfterSeconds: number; limitedBy: 'ip' | 'account' };

export class LoginGuard {
  constructor(
    private readonly byIp: SlotLimiter,
    private readonly byAccount: SlotLimiter,
    /** Keys accounts by an HMAC of the name: a password typed as a username is never stored. */
    private readonly keySecret: string,
  ) {}

  accountKey(rawUsername: string): string {
    return crypto.createHmac('sha256', this.keySecret).update(normaliseUsername(rawUsername.slice(0, 1024))).digest('base64url').slice(0, 32);
  }

  async begin(ip: string | undefined, rawUsername: unknown): Promise<LoginAttempt> {
    const ipKey = ip ?? 'unknown';
    const accountKey = this.accountKey(typeof rawUsername === 'string' ? rawUsername : '');
    const ipDecision = await this.byIp.take(ipKey);
    if (!ipDecision.allowed) return { allowed: false, retryAfterSeconds: ipDecision.retryAfterSeconds, limitedBy: 'ip' };
    const accountDecision = await this.byAccount.take(accountKey);
    if (!accountDecision.allowed) {
      this.byIp.give(ipKey);
      return { allowed: false, retryAfterSeconds: accountDecision.retryAfterSeconds, limitedBy: 'account' };
    }
    let settled = false;
    return {
      allowed: true,
      succeeded: async () => {
        if (settled) return;
        settled = true;
        this.byIp.give(ipKey);
        await this.byAccount.reset(accountKey);
      },
      failed: () => {
        settled = true;
      },
    };
  }
}
