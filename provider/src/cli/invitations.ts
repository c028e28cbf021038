// `user invite USERNAME` and `user invite-links`: one-time "set your password" links for accounts
// that have none yet (domain/accounts/invitations.ts). With SMTP_URL set the link is mailed; without,
// it is printed once (it is stored only as a digest and cannot be shown again — run the command
// again for a new one, which replaces the old).
import type { Command } from 'commander';
import { withServices } from './context';
import type { GlobalOptions } from './options';
import { awaitingPassword, inviteUser, type InviteResult } from '../domain/accounts/invitations';

export function invitationJson(invite: InviteResult) {
  return { mailed: invite.queued, link: invite.link ?? null, expires_at: invite.expiresAt.toISOString() };
}

export function invitationLines(username: string, email: string, invite: InviteResult): string[] {
  const until = invite.expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  if (invite.queued) return [`Invitation mailed to ${email} (link valid once, until ${until}).`];
  return [`SMTP is not set up (SMTP_URL), so give ${username} this one-time link yourself (valid until ${until}; it is not shown again):`, invite.link ?? ''];
}

export function inviteCommands(user: Command, globals: () => GlobalOptions): void {
  user
    .command('invite')
    .description('send (or print, without SMTP) a new one-time "set your password" link to a user who has no password yet')
    .argument('<username>', 'the user')
    .action(async (username: string) => {
      await withServices(globals().json, async (services) => {
        const doc = await services.users.require(username);
        const invite = await inviteUser(services, doc, { by: 'cli' });
        services.out.result({ username: doc.username, ...invitationJson(invite) }, () => invitationLines(doc.username, doc.email, invite));
      });
    });

  user
    .command('invite-links')
    .description('a new one-time link for every active user without a password (e.g. after an import), printed, or mailed when SMTP is set up')
    .action(async () => {
      await withServices(globals().json, async (services) => {
        const waiting = (await services.users.list()).filter(awaitingPassword);
        const rows: Array<{ username: string; email: string } & ReturnType<typeof invitationJson>> = [];
        for (const doc of waiting) rows.push({ username: doc.username, email: doc.email, ...invitationJson(await inviteUser(services, doc, { by: 'cli' })) });
        services.out.result(rows, () => {
          if (rows.length === 0) return ['Every active user has a password; no links made.'];
          const mailed = rows.filter((r) => r.mailed).length;
          return [
            ...rows.filter((r) => !r.mailed).map((r) => `${r.username}\t${r.link}`),
            mailed ? `${mailed} invitation(s) mailed.` : `${rows.length} one-time link(s) above, valid until ${rows[0].expires_at}; earlier links of these users no longer work.`,
          ];
        });
      });
    });
}
