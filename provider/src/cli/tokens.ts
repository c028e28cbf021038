// `tokens clear`: housekeeping the server's sweep also does, on demand.
import { Command } from 'commander';
import { withServices } from './context';
import type { GlobalOptions } from './options';

export function tokenCommands(program: Command, globals: () => GlobalOptions): void {
  const tokens = program.command('tokens').description('token housekeeping');

  tokens
    .command('clear')
    .description('delete expired tokens and codes and revoked access tokens')
    .action(async () => {
      await withServices(globals().json, async ({ tokens: store, audit, out }) => {
        const counts = await store.clear();
        await audit.record('cli', 'tokens.clear', 'tokens', counts);
        out.result(
          { access_tokens: counts.accessTokens, refresh_tokens: counts.refreshTokens, authorization_codes: counts.codes },
          () => [
            `Removed ${counts.accessTokens} access token(s), ${counts.refreshTokens} refresh token(s), ${counts.codes} authorization code(s).`,
          ],
        );
      });
    });
}
