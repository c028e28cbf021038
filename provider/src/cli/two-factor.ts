// `user reset-2fa <username>`: turns off a user's two-factor sign-in (lost phone and recovery
// codes). Audited; the user signs in with the password alone, or — where TWO_FACTOR_REQUIRED
// applies to them — is sent to set it up again right after the password.
import type { Command } from 'commander';
import { withServices } from './context';
import { sendNotice } from '../domain/accounts/notices';
import type { GlobalOptions } from './options';

export function twoFactorCommands(user: Command, globals: () => GlobalOptions): void {
  user
    .command('reset-2fa')
    .description("turn off a user's two-factor sign-in (lost phone and recovery codes)")
    .argument('<username>', 'the user')
    .action(async (username: string) => {
      await withServices(globals().json, async (services) => {
        const { users, twoFactor, audit, config, out } = services;
        const doc = await users.require(username);
        const wasOn = await twoFactor.reset(doc._id);
        if (wasOn) {
          await audit.record('cli', 'two_factor.reset', doc.username, { id: doc._id, by: 'cli' });
          await sendNotice(services, doc, 'two_factor_disabled', { by: 'admin' });
        }
        const again = twoFactor.required(doc) ? ' They must set it up again right after their password.' : '';
        const help = config.SUPPORT_CONTACT ? ` Tell them to contact ${config.SUPPORT_CONTACT} if anything is unclear.` : '';
        out.result({ id: doc._id, username: doc.username, two_factor_reset: wasOn }, () => [
          wasOn ? `Two-factor sign-in reset for ${doc.username}: they sign in with their password.${again}${help}` : `${doc.username} has no two-factor sign-in; nothing changed.`,
        ]);
      });
    });
}
