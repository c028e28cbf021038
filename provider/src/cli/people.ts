// `user import FILE.csv` and `user export`: the people CSV (domain/people/, docs/people.md).
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { AppError } from '../kernel/errors';
import { applyImport, MATCH_KEYS, parsePeopleCsv, planImport, type ImportPlan, type ImportResult, type MatchKey, type RowError } from '../domain/people/csv-import';
import { exportCsv, exportRecord } from '../domain/people/csv-export';
import { inviteAfterCreate, type InviteTally } from '../domain/people/invite';
import { withServices } from './context';
import type { GlobalOptions } from './options';
import { UsageError } from './output';

interface ImportOptions {
  dryRun?: boolean;
  match: MatchKey;
  deactivateMissing?: boolean;
}

function planJson(plan: ImportPlan) {
  return {
    create: plan.create.map((r) => ({ line: r.line, username: r.person.username })),
    update: plan.update.map((r) => ({ line: r.line, username: r.person.username, fields: r.fields })),
    unchanged: plan.unchanged.length,
    deactivate: plan.deactivate.map((u) => u.username),
    errors: plan.errors,
  };
}

function list(names: string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function planLines(plan: ImportPlan): string[] {
  return [
    `To create (${plan.create.length})${plan.create.length ? `: ${list(plan.create.map((r) => r.person.username))}` : ''}`,
    `To update (${plan.update.length})${plan.update.length ? ':' : ''}`,
    ...plan.update.slice(0, 50).map((r) => `  ${r.person.username}: ${r.fields.join(', ')}`),
    ...(plan.update.length > 50 ? [`  … and ${plan.update.length - 50} more`] : []),
    `Unchanged: ${plan.unchanged.length}`,
    `To mark as left (${plan.deactivate.length})${plan.deactivate.length ? `: ${list(plan.deactivate.map((u) => u.username))}` : ''}`,
    ...(plan.deactivateSkipped ? [`Not marking anyone as left: ${plan.deactivateSkipped}.`] : []),
    ...errorLines(plan.errors),
  ];
}

function errorLines(errors: RowError[]): string[] {
  return errors.length ? [`Bad rows (${errors.length}), not imported:`, ...errors.map((e) => `  line ${e.line}: ${e.message}`)] : [];
}

function resultLines(r: ImportResult): string[] {
  return [
    `Created ${r.created.length}, updated ${r.updated.length}, unchanged ${r.unchanged}, marked as left ${r.left.length}.`,
    ...errorLines(r.errors),
  ];
}

function inviteLines(t: InviteTally): string[] {
  const lines: string[] = [];
  if (t.mailed) lines.push(`${t.mailed} invitation${t.mailed === 1 ? '' : 's'} to set a password queued for mailing.`);
  if (t.unsent) lines.push(`${t.unsent} new account${t.unsent === 1 ? ' has' : 's have'} no password and no mailed invitation (SMTP is not configured): print their one-time links with \`hrm-sso user invite-links\`.`);
  if (t.failed) lines.push(`${t.failed} invitation${t.failed === 1 ? '' : 's'} could not be made; retry with \`hrm-sso user invite USERNAME\`.`);
  return lines;
}

/** A sentence that makes the command exit non-zero when rows were refused (after the report). */
function rowsRefused(errors: RowError[]): AppError {
  return new AppError('rows_refused', `${errors.length} row${errors.length === 1 ? ' was' : 's were'} not imported (line${errors.length === 1 ? '' : 's'} ${list(errors.map((e) => String(e.line)), 10)}); the other rows ${errors.length ? 'were processed' : ''}.`.replace(/ $/, ''));
}

export function peopleCommands(user: Command, globals: () => GlobalOptions): void {
  user
    .command('import')
    .description('create and update accounts from a CSV file (columns: docs/people.md); prints the diff')
    .argument('<file>', 'CSV file, UTF-8, first line = column names')
    .option('--dry-run', 'only print what would change')
    .addOption(new Option('--match <column>', 'how a row finds its account').choices(MATCH_KEYS).default('username'))
    .option('--deactivate-missing', 'mark active accounts that no row names as left (administrators excepted)')
    .action(async (file: string, opts: ImportOptions) => {
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch (err) {
        throw new UsageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
      }
      const json = globals().json;
      await withServices(json, async (services) => {
        const { out, config } = services;
        // A file above the limit is refused before it is read into memory.
        const parsed = parsePeopleCsv(size > config.CSV_IMPORT_MAX_BYTES ? Buffer.alloc(size > 0 ? 1 : 0) : fs.readFileSync(file), config.CSV_IMPORT_MAX_BYTES, size);
        const plan = await planImport(services, parsed, { match: opts.match, deactivateMissing: Boolean(opts.deactivateMissing) });
        if (opts.dryRun) {
          out.result({ dry_run: true, match: opts.match, ...planJson(plan) }, () => [...planLines(plan), 'Dry run: nothing was changed.']);
          if (plan.errors.length) throw rowsRefused(plan.errors);
          return;
        }
        const tty = !json && process.stderr.isTTY;
        const invites = inviteAfterCreate(services, 'cli');
        const result = await applyImport(services, plan, { actor: 'cli', via: 'csv' }, {
          afterCreate: invites.afterCreate,
          onProgress: tty ? (done, total) => { if (done % 100 === 0 || done === total) process.stderr.write(`\rImporting… ${done}/${total}${done === total ? '\n' : ''}`); } : undefined,
        });
        await services.audit.record('cli', 'people.import', file, { created: result.created.length, updated: result.updated.length, left: result.left.length, errors: result.errors.length, match: opts.match });
        out.result({ dry_run: false, match: opts.match, created: result.created, updated: result.updated, unchanged: result.unchanged, left: result.left, errors: result.errors, invitations: invites.tally }, () => [...resultLines(result), ...inviteLines(invites.tally)]);
        if (result.errors.length) throw rowsRefused(result.errors);
      });
    });

  user
    .command('export')
    .description('write every account in the import columns (CSV by default) to standard output')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .action(async (opts: { format: 'csv' | 'json' }) => {
      await withServices(globals().json, async (services) => {
        const users = await services.people.all();
        const asJson = opts.format === 'json' || globals().json;
        process.stdout.write(asJson ? `${JSON.stringify(users.map(exportRecord), null, 2)}\n` : exportCsv(users));
        await services.audit.record('cli', 'people.export', 'users', { count: users.length, format: asJson ? 'json' : 'csv' });
      });
    });
}
