// `scim token create|list|revoke`: SCIM provisioning connections (docs/people.md). The token is
// printed once; only its digest is stored.
import { Command } from 'commander';
import { withServices } from './context';
import type { GlobalOptions } from './options';
import { table } from './output';

export function scimCommands(program: Command, globals: () => GlobalOptions): void {
  const scim = program.command('scim').description('SCIM 2.0 provisioning connections (Entra ID, Okta, JumpCloud…)');
  const token = scim.command('token').description('bearer tokens of provisioning connections');

  token
    .command('create')
    .description('create a connection and print its bearer token (shown only this once)')
    .requiredOption('--name <name>', 'connection name, shown in the audit log (e.g. "Entra ID")')
    .action(async (opts: { name: string }) => {
      await withServices(globals().json, async ({ scimConnections, audit, config, out }) => {
        const { connection, token: secret } = await scimConnections.create(opts.name, 'cli');
        await audit.record('cli', 'scim.connection_create', `scim:${connection.name}`, { id: connection._id });
        const url = `${config.issuer}/scim/v2`;
        out.result({ id: connection._id, name: connection.name, token: secret, scim_url: url, created_at: connection.createdAt.toISOString() }, () => [
          `Created SCIM connection "${connection.name}".`,
          `Tenant URL:   ${url}`,
          `Secret token: ${secret}`,
          'Copy the token now: it is not shown again (revoke and create another if it is lost).',
        ]);
      });
    });

  token
    .command('list')
    .description('list connections (never their tokens)')
    .action(async () => {
      await withServices(globals().json, async ({ scimConnections, out }) => {
        const list = await scimConnections.list();
        out.result(
          list.map((c) => ({ id: c._id, name: c.name, created_at: c.createdAt.toISOString(), created_by: c.createdBy, last_used_at: c.lastUsedAt?.toISOString() ?? null, revoked_at: c.revokedAt?.toISOString() ?? null })),
          () => (list.length === 0 ? ['No SCIM connections.'] : table(['NAME', 'CREATED', 'LAST USED', 'STATUS'], list.map((c) => [c.name, c.createdAt.toISOString().slice(0, 16).replace('T', ' '), c.lastUsedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? 'never', c.revokedAt ? `revoked ${c.revokedAt.toISOString().slice(0, 10)}` : 'active']))),
        );
      });
    });

  token
    .command('revoke')
    .description("revoke a connection's token: its requests get 401 from now on")
    .argument('<name>', 'connection name')
    .action(async (name: string) => {
      await withServices(globals().json, async ({ scimConnections, audit, out }) => {
        const before = await scimConnections.byName(name);
        const c = await scimConnections.revoke(name, 'cli');
        if (!before?.revokedAt) await audit.record('cli', 'scim.connection_revoke', `scim:${c.name}`, { id: c._id });
        out.result({ id: c._id, name: c.name, revoked_at: c.revokedAt?.toISOString() ?? null }, () => [before?.revokedAt ? `"${c.name}" was already revoked.` : `Revoked "${c.name}": its token is refused from now on.`]);
      });
    });
}
