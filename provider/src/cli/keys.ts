// `keys …`: OpenID Connect ID-token signing keys. Private parts are never printed.
import { Command, Option } from 'commander';
import { SIGNING_ALGS, type KeySummary, type SigningAlg } from '../store/signing-keys';
import { withServices } from './context';
import type { GlobalOptions } from './options';
import { table } from './output';

function keyJson(k: KeySummary) {
  return {
    kid: k.kid,
    generation: k.generation,
    alg: k.alg,
    state: k.state,
    created_at: k.createdAt.toISOString(),
    signs_from: k.signsFrom.toISOString(),
    signs_until: k.signsUntil?.toISOString() ?? null,
    published_until: k.publishedUntil?.toISOString() ?? null,
    encrypted: k.encrypted,
  };
}

export function keyCommands(program: Command, globals: () => GlobalOptions): void {
  const keys = program.command('keys').description('OpenID Connect ID-token signing keys');

  keys
    .command('list')
    .description('list signing keys, newest first (private keys are never shown)')
    .action(async () => {
      await withServices(globals().json, async ({ oidc, out }) => {
        await oidc.keys.ensureKey();
        const list = await oidc.keys.list();
        out.result(list.map(keyJson), () =>
          table(
            ['KID', 'ALG', 'STATE', 'SIGNS FROM', 'SIGNS UNTIL', 'PUBLISHED UNTIL', 'ENCRYPTED'],
            list.map((k) => [k.kid, k.alg, k.state, k.signsFrom.toISOString(), k.signsUntil?.toISOString() ?? '-', k.publishedUntil?.toISOString() ?? '-', k.encrypted ? 'yes' : 'no']),
          ),
        );
      });
    });

  keys
    .command('rotate')
    .description('add a new signing key: published at once, signing after OIDC_KEY_PUBLISH_AHEAD_SECONDS; older keys stay published one ID-token lifetime longer')
    .addOption(new Option('--alg <alg>', 'algorithm of the new key (default OIDC_SIGNING_ALG)').choices(SIGNING_ALGS))
    .option('--now', 'sign with the new key at once (for a compromised key; relying parties must refetch the JWKS)')
    .action(async (opts: { alg?: SigningAlg; now?: boolean }) => {
      await withServices(globals().json, async ({ oidc, audit, out }) => {
        await oidc.keys.ensureKey();
        const k = await oidc.keys.rotate({ alg: opts.alg, immediately: Boolean(opts.now) });
        await audit.record('cli', 'keys.rotate', `key:${k.kid}`, { alg: k.alg, immediately: Boolean(opts.now) });
        out.result(keyJson(k), () => [`Added signing key ${k.kid} (${k.alg}): published now, signs from ${k.signsFrom.toISOString()}.`]);
      });
    });
}
