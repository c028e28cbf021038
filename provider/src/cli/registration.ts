// `registration create-token`: initial access tokens for dynamic client registration (RFC 7591).
import { Command, InvalidArgumentError } from 'commander';
import { withServices } from './context';
import type { GlobalOptions } from './options';

function positiveSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 365 * 24 * 3600) throw new InvalidArgumentError('must be a whole number of seconds between 1 and 31536000');
  return n;
}

export function registrationCommands(program: Command, globals: () => GlobalOptions): void {
  const registration = program.command('registration').description('dynamic client registration (RFC 7591; DYNAMIC_CLIENT_REGISTRATION=true)');

  registration
    .command('create-token')
    .description('create a single-use initial access token for POST /o/register/; printed once')
    .option('--expires-in <seconds>', 'lifetime of the token', positiveSeconds, 86400)
    .option('--note <text>', 'what it is for (kept in the database and the audit log)')
    .action(async (opts: { expiresIn: number; note?: string }) => {
      await withServices(globals().json, async ({ oidc, config, audit, out }) => {
        const { token, expiresAt } = await oidc.registrations.createInitialToken(opts.expiresIn, opts.note);
        await audit.record('cli', 'registration.create_token', 'registration', { note: opts.note, expiresAt: expiresAt.toISOString() });
        out.result({ initial_access_token: token, expires_at: expiresAt.toISOString(), registration_endpoint: `${config.issuer}/o/register/`, enabled: config.DYNAMIC_CLIENT_REGISTRATION }, () => [
          `initial_access_token: ${token}`,
          `expires:              ${expiresAt.toISOString()} (single use)`,
          `Send it as "Authorization: Bearer …" with POST ${config.issuer}/o/register/.`,
          ...(config.DYNAMIC_CLIENT_REGISTRATION ? [] : ['Note: DYNAMIC_CLIENT_REGISTRATION is not true, so the endpoint is off until you enable it.']),
        ]);
      });
    });
}
