// `user reset-2fa <username>`: turns off a user's two-factor sign-in (lost phone and recovery
// codes, lost passkeys): the authenticator app and every passkey. Audited; the user signs in with the password alone, or — where TWO_FACTOR_REQUIRED
// applies to them — is sent to set it up again right after the password.
import type { Command } from 'commander';
import { withServices } from './context';
import { sendNotice } from '../domain/accounts/notices';
import { resetSecondFactors } from '../domain/passkeys/second-factors';
import type { GlobalOptions } from './options';
import { plural } from '../kernel/plural';

export function twoFactorCommands(user: Command, globals: () => GlobalOptions): void {
  user
    .command('reset-2fa')
    .description("turn off a user's two-factor sign-in: authenticator app and passkeys (lost phone, recovery codes or passkeys)")
    .argument('<username>', 'the user')
    .action(async (username: string) => {
      await withServices(globals().json, async (services) => {
        const { users, twoFactor, passkeys, audit, config, out } = services;
        const doc = await users.require(username);
        const reset = await resetSecondFactors(doc._id, twoFactor, passkeys.store);
        const wasOn = reset.changed;
        if (wasOn) {
          await audit.record('cli', 'two_factor.reset', doc.username, { id: doc._id, by: 'cli', app: reset.totp, passkeysRemoved: reset.passkeys });
          await sendNotice(services, doc, 'two_factor_disabled', { by: 'admin' });
        }
        const again = twoFactor.required(doc) ? ' They must set it up again right after their password.' : '';
        const help = config.SUPPORT_CONTACT ? ` Tell them to contact ${config.SUPPORT_CONTACT} if anything is unclear.` : '';
        const removed = reset.passkeys ? ` (${[reset.totp ? 'authenticator app turned off' : '', `${plural(reset.passkeys, 'passkey', 'passkeys')} removed`].filter(Boolean).join(', ')})` : '';
        out.result({ id: doc._id, username: doc.username, two_factor_reset: wasOn, passkeys_removed: reset.passkeys }, () => [
          wasOn ? `Two-factor sign-in reset for ${doc.username}${removed}: they sign in with their password.${again}${help}` : `${doc.username} has no two-factor sign-in; nothing changed.`,
        ]);
      });
    });
}
