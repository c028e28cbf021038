// One directory sync run (scheduled, CLI or admin page): read everything, plan, apply unless a
// dry run, and record what happened (store/directory-runs.ts). A failure is recorded and thrown;
// nothing has been changed by then (reading is complete before the first write).
import type { DirectoryRunDoc } from '../../../db/schema';
import { AppError } from '../../../kernel/errors';
import type { Logger } from '../../../kernel/log';
import type { Services } from '../../services';
import { inviteAfterCreate, type InviteTally } from '../invite';
import { directorySettings } from './presets';
import { readDirectory } from './read';
import { applySync, planSync, type SyncPlan, type SyncResult } from './sync';

export interface SyncOutcome {
  run: DirectoryRunDoc;
  plan: SyncPlan;
  result?: SyncResult;
  invitations?: InviteTally;
}

export async function runDirectorySync(services: Services, opts: { trigger: DirectoryRunDoc['trigger']; dryRun: boolean; actor: string; log?: Logger }): Promise<SyncOutcome> {
  const settings = directorySettings(services.config);
  if (!settings) throw new AppError('directory_not_configured', 'No directory is configured: set LDAP_URL, LDAP_BASE_DN and the bind account (docs/people.md).');
  const runs = services.directoryRuns;
  if (!opts.dryRun && !(await runs.lock(Math.max(10 * 60_000, settings.timeoutMs * 20)))) throw new AppError('directory_busy', 'Another directory sync is running; try again when it is done.', 409);
  const run = await runs.start(opts.trigger, opts.dryRun);
  try {
    const snapshot = await readDirectory(settings);
    const plan = await planSync(services, settings, snapshot);
    if (opts.dryRun) {
      const summary = { entries: plan.entries, created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, left: plan.leave.length, skipped: plan.skipped };
      await runs.finish(run._id, { ok: true, summary });
      return { run: { ...run, ok: true, summary }, plan };
    }
    // Accounts the directory creates sign in with a password they set from an invitation.
    const invites = inviteAfterCreate(services, opts.actor, opts.log);
    const result = await applySync(services, plan, { actor: opts.actor, via: 'directory' }, { afterCreate: invites.afterCreate });
    const summary = { entries: plan.entries, created: result.created.length, updated: result.updated.length, unchanged: result.unchanged, left: result.left.length, skipped: result.skipped };
    await runs.finish(run._id, { ok: true, summary });
    await services.audit.record(opts.actor, 'directory.sync', settings.url, { trigger: opts.trigger, created: summary.created, updated: summary.updated, left: summary.left, skipped: summary.skipped.length });
    opts.log?.info({ event: 'directory_sync', ...summary, skipped: summary.skipped.length }, 'directory sync finished');
    return { run: { ...run, ok: true, summary }, plan, result, invitations: invites.tally };
  } catch (err) {
    const message = err instanceof AppError ? err.message : `unexpected failure: ${(err as Error).message}`;
    await runs.finish(run._id, { ok: false, error: message }).catch(() => undefined);
    opts.log?.warn({ event: 'directory_sync_failed', error: message }, 'directory sync changed nothing');
    throw err;
  } finally {
    if (!opts.dryRun) await runs.unlock().catch(() => undefined);
  }
}
