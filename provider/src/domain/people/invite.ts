// Accounts created without a password (CSV, SCIM, directory sync)
// cannot sign in until their owner sets one: each gets an invitation (domain/accounts/
// invitations.ts) — mailed when SMTP is configured; otherwise `hrm-sso user invite-links` prints
// the links. An invitation that cannot be made never undoes the account.
import type { UserDoc } from '../../db/schema';
import type { Logger } from '../../kernel/log';
import { inviteUser } from '../accounts/invitations';
import type { Services } from '../services';

export interface InviteTally {
  mailed: number;
  /** Not mailed (no SMTP, or an address that cannot be mailed): links via `user invite-links`. */
  unsent: number;
  failed: number;
}

/** The afterCreate hook of applyPersonChange; `by` names the route for the audit log. */
export function inviteAfterCreate(services: Services, by: string, log?: Logger): { afterCreate: (user: UserDoc) => Promise<void>; tally: InviteTally } {
  const tally: InviteTally = { mailed: 0, unsent: 0, failed: 0 };
  return {
    tally,
    afterCreate: async (user) => {
      try {
        const r = await inviteUser(services, user, { by });
        if (r.queued) tally.mailed++;
        else tally.unsent++;
      } catch (err) {
        tally.failed++;
        log?.warn({ event: 'invitation_failed', user: user.username, err: { message: (err as Error).message } }, 'invitation not created');
      }
    },
  };
}
