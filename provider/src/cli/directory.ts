// `directory sync [--dry-run]`: one LDAP / Active Directory sync now (docs/people.md).
import { Command } from 'commander';
import { runDirectorySync } from '../domain/people/directory/run';
import { withServices } from './context';
import type { GlobalOptions } from './options';

function list(names: string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function directoryCommands(program: Command, globals: () => GlobalOptions): void {
  const directory = program.command('directory').description('LDAP / Active Directory sync (LDAP_* settings)');
  directory
    .command('sync')
    .description('read the directory and create, update or mark as left the accounts it keeps in sync')
    .option('--dry-run', 'only print what would change')
    .action(async (opts: { dryRun?: boolean }) => {
      await withServices(globals().json, async (services) => {
        const { plan, result, invitations } = await runDirectorySync(services, { trigger: 'cli', dryRun: Boolean(opts.dryRun), actor: 'cli' });
        const skipped = result?.skipped ?? plan.skipped;
        const skippedLines = skipped.length ? [`Skipped (${skipped.length}):`, ...skipped.map((s) => `  ${s.entry}: ${s.reason}`)] : [];
        if (!result) {
          services.out.result(
            { dry_run: true, entries: plan.entries, create: plan.create.map((c) => c.entry.person.username), update: plan.update.map((u) => ({ username: u.existing.username, fields: u.fields })), unchanged: plan.unchanged, leave: plan.leave.map((u) => u.username), skipped },
            () => [
              `The directory lists ${plan.entries} entr${plan.entries === 1 ? 'y' : 'ies'}.`,
              `To create (${plan.create.length})${plan.create.length ? `: ${list(plan.create.map((c) => c.entry.person.username))}` : ''}`,
              `To update (${plan.update.length})${plan.update.length ? ':' : ''}`,
              ...plan.update.map((u) => `  ${u.existing.username}: ${u.fields.join(', ')}`),
              `Unchanged: ${plan.unchanged}`,
              `To mark as left (${plan.leave.length})${plan.leave.length ? `: ${list(plan.leave.map((u) => u.username))}` : ''}`,
              ...skippedLines,
              'Dry run: nothing was changed.',
            ],
          );
          return;
        }
        services.out.result({ dry_run: false, entries: plan.entries, created: result.created, updated: result.updated, unchanged: result.unchanged, left: result.left, skipped, invitations }, () => [
          `Directory sync: created ${result.created.length}, updated ${result.updated.length}, unchanged ${result.unchanged}, marked as left ${result.left.length}.`,
          ...(result.left.length ? [`Left (every token revoked): ${list(result.left)}`] : []),
          ...(invitations?.unsent ? [`${invitations.unsent} new account${invitations.unsent === 1 ? ' has' : 's have'} no password and no mailed invitation (SMTP is not configured): print the links with \`hrm-sso user invite-links\`.`] : []),
          ...skippedLines,
        ]);
      });
    });
}
