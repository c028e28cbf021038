/**
 * The HR job as passes over every linked user, split into invocations that each stay well
 * under the engine's per-call limit (Rocket.Chat cancels an app call at 30 s, and out of process
 * every accessor read is an RPC). Each invocation:
 *   - takes the lease (one invocation at a time; a killed one's lease expires),
 *   - resumes the pass in persistence at its cursor (users ordered by Rocket.Chat user id), or
 *     starts a new one,
 *   - works batch by batch (ask the provider, then change) while the next batch fits in the
 *     time budget, saving the cursor after each batch,
 *   - and when users remain, schedules a continuation a few seconds later.
 * The summary is posted once, when a full pass completes. A provider that fails or times out
 * ends the invocation without touching the rest; the next run resumes at the cursor, so a pass
 * interrupted by a failure or a restart is finished, never half-applied.
 */
import { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import { readHrSettings } from '../../infra/settings/hrSettings';
import { acquireLease, clearPass, PassState, PassSummary, readPass, releaseLease, savePass } from '../../infra/storage/hrRun';
import { Link, listLinks } from './links';
import { addProblem, CALL_TIMEOUT_MS, callTimeout, emptySummary, handleUser, looksMisconfigured, prepareBatch, RunDeps } from './offboarding';
import { fetchStatuses } from './statusClient';
import { HrmPerson } from './statusClient';
// The Apps-Engine sandbox allows the 'crypto' module.
import { randomBytes } from 'crypto';

export const CONTINUE_JOB_ID = 'hrm-hr-job-continue';
/** A killed invocation's lease frees itself this long after its budget. */
const LEASE_GRACE_MS = 10_000;
/** Below this much budget left, no new batch starts. */
const MIN_BATCH_MS = 1_000;
/** Below this much budget left, no new user is handled (the rest of the batch waits for the next invocation). */
const MIN_USER_MS = 300;
/**
 * Time kept free at the end of the budget for saving the cursor, posting and releasing the lease,
 * so the whole invocation (as Rocket.Chat measures it) ends within the budget.
 */
const END_MARGIN_MS = 1_500;
/** When users remain after an invocation, the continuation runs this much later. */
export const CONTINUE_AFTER = '5 seconds';
/** After the provider's rate limit answered (HTTP 429), the continuation waits one limiter window. */
export const RATE_LIMIT_PAUSE = '60 seconds';

export interface PassStats {
    readonly invocations: number;
    readonly longestMs: number;
    readonly total: number;
}

export type SliceOutcome =
    /** Another invocation holds the lease: nothing was done. */
    | { readonly kind: 'skipped'; readonly until: number }
    /** Nothing could be checked (not configured, provider down at the start, misconfigured provider). */
    | { readonly kind: 'aborted'; readonly summary: PassSummary }
    /** Users remain; `interrupted` says why the invocation stopped early when it was not the budget. */
    | { readonly kind: 'paused'; readonly done: number; readonly total: number; readonly interrupted?: PassSummary }
    | { readonly kind: 'completed'; readonly summary: PassSummary; readonly stats: PassStats };

function sortLinks(links: Link[]): Link[] {
    return [...links].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

function newPass(now: number, dryRun: boolean): PassState {
    return { passId: randomBytes(8).toString('hex'), startedAt: now, cursor: '', total: 0, invocations: 0, longestMs: 0, slowestStatusMs: 0, summary: emptySummary({ dryRun }) };
}

export async function runSlice(deps: RunDeps): Promise<SliceOutcome> {
    const started = Date.now();
    const settings = await readHrSettings(deps.services.settings.view(deps.read.getEnvironmentReader().getSettings()));
    const budgetMs = settings.sliceSeconds * 1000;
    const owner = randomBytes(8).toString('hex');
    const reader = deps.read.getPersistenceReader();
    const lease = await acquireLease(reader, deps.persis, owner, started, budgetMs + LEASE_GRACE_MS);
    if (!lease.ok) {
        deps.services.logger().info(`HR job: another invocation is still working (lease until ${new Date(lease.until).toISOString()}); skipped.`);
        return { kind: 'skipped', until: lease.until };
    }
    try {
        return await work(deps, settings, started, started + budgetMs - Math.min(END_MARGIN_MS, budgetMs / 5));
    } finally {
        await releaseLease(reader, deps.persis, owner);
    }
}

async function work(deps: RunDeps, settings: Awaited<ReturnType<typeof readHrSettings>>, started: number, deadline: number): Promise<SliceOutcome> {
    const log = deps.services.logger();
    const config = await deps.services.loadConfig(deps.read);
    if (!config.ok) {
        const summary = emptySummary(settings);
        summary.aborted = `${config.error.message} Nothing was changed; the job tries again at its next run.`;
        return { kind: 'aborted', summary };
    }
    const reader = deps.read.getPersistenceReader();
    let state = await readPass(reader);
    if (state && state.summary.dryRun !== settings.dryRun) {
        log.info('HR job: the dry-run setting changed during a pass; starting a new pass.');
        state = undefined;
    }
    const fresh = !state;
    const pass = state ?? newPass(started, settings.dryRun);
    const { links: all, withoutUserId } = await listLinks(reader);
    const links = sortLinks(all);
    if (fresh) {
        pass.total = links.length;
        pass.summary.skippedOldLinks = withoutUserId;
        if (settings.mappingError) {
            addProblem(pass.summary, deps, `Department channels skipped: ${settings.mappingError}.`);
        }
        for (const problem of settings.problems) {
            addProblem(pass.summary, deps, problem);
        }
    }
    const todo = links.filter((l) => l.userId > pass.cursor);
    const ctx = await prepareBatch(deps, config.value, settings, pass.summary, deadline);
    let interruption: string | undefined;
    let rateLimited = false;
    let lastWorkMs = 0;
    let statusMs = 0;
    let workMs = 0;
    let index = 0;
    let batches = 0;
    outer: while (index < todo.length) {
        const left = ctx.left();
        // The first batch of an invocation always starts; later ones only when they fit the budget.
        if (left < MIN_BATCH_MS || (batches > 0 && (pass.slowestStatusMs + lastWorkMs) * 1.2 > left)) {
            break;
        }
        const batch = todo.slice(index, index + settings.batchSize);
        const asked = Date.now();
        const timeoutMs = callTimeout(ctx);
        const answers = await fetchStatuses(deps.http, config.value, batch.map((l) => l.identity.sub), timeoutMs);
        pass.slowestStatusMs = Math.max(pass.slowestStatusMs, Date.now() - asked);
        statusMs += Date.now() - asked;
        if (!answers.ok) {
            // A later batch whose wait the budget had cut short is not the provider's fault: the
            // next invocation asks again with a whole budget. The first batch of an invocation had
            // all there is, so a failure there is reported.
            if (answers.error.code === 'provider_timeout' && batches > 0 && timeoutMs < CALL_TIMEOUT_MS) {
                log.info(`HR job: a status request was cut short by the time budget after ${timeoutMs} ms; continuing in the next invocation.`);
                break;
            }
            // The provider's per-client limit (HRM_STATUS_RATE_LIMIT per window): wait a window, then go on.
            if (answers.error.code === 'rate_limited') {
                rateLimited = true;
                log.warn(`HR job: ${answers.error.message} Continuing in ${RATE_LIMIT_PAUSE}.`);
                break;
            }
            interruption = answers.error.message;
            break;
        }
        if (pass.summary.checked === 0 && looksMisconfigured(batch, answers.value)) {
            await clearPass(deps.persis);
            const summary = emptySummary(settings);
            summary.aborted = 'The HRM provider knows none of the linked users: check the provider URL and client. Nothing was changed.';
            return { kind: 'aborted', summary };
        }
        const working = Date.now();
        for (const link of batch) {
            if (ctx.left() < MIN_USER_MS) {
                await savePass(deps.persis, pass);
                break outer;
            }
            await handleUser(ctx, link, answers.value.get(link.identity.sub) as HrmPerson);
            pass.cursor = link.userId;
            index++;
        }
        lastWorkMs = Date.now() - working;
        workMs += lastWorkMs;
        batches++;
        // The cursor is saved after every batch: a restart loses at most one batch's progress, which is re-done harmlessly.
        await savePass(deps.persis, pass);
    }
    const elapsed = Date.now() - started;
    log.info(`HR job: invocation ${pass.invocations + 1} took ${elapsed} ms: ${batches} status request(s) ${statusMs} ms, users ${workMs} ms.`);
    pass.invocations++;
    pass.longestMs = Math.max(pass.longestMs, elapsed);
    const done = pass.total - Math.max(0, todo.length - index);
    if (index >= todo.length && !interruption) {
        await clearPass(deps.persis);
        log.info(`HR job: pass complete: ${pass.summary.checked} users in ${pass.invocations} invocation(s), longest ${(pass.longestMs / 1000).toFixed(1)} s.`);
        return { kind: 'completed', summary: pass.summary, stats: { invocations: pass.invocations, longestMs: pass.longestMs, total: pass.total } };
    }
    if (interruption) {
        const nothingYet = pass.summary.checked === 0;
        const line = nothingYet
            ? `${interruption} Nothing was changed; the job tries again at its next run.`
            : `${interruption} ${pass.summary.checked} of ${pass.total} linked users were handled; the pass resumes with the rest at the job's next run.`;
        addProblem(pass.summary, deps, `Interrupted: ${line}`);
        await savePass(deps.persis, pass);
        const report = emptySummary(settings);
        report.aborted = line;
        return { kind: 'paused', done, total: pass.total, interrupted: report };
    }
    await savePass(deps.persis, pass);
    log.info(`HR job: ${done} of ${pass.total} linked users handled after ${pass.invocations} invocation(s); continuing in ${rateLimited ? RATE_LIMIT_PAUSE : CONTINUE_AFTER}.`);
    await scheduleContinuation(deps.modify, log, rateLimited ? RATE_LIMIT_PAUSE : CONTINUE_AFTER);
    return { kind: 'paused', done, total: pass.total };
}

async function scheduleContinuation(modify: IModify, log: { warn(...args: unknown[]): void }, when: string): Promise<void> {
    try {
        await modify.getScheduler().scheduleOnce({ id: CONTINUE_JOB_ID, when });
    } catch {
        // The recurring run resumes the pass at the cursor anyway.
        log.warn('HR job: could not schedule the continuation; the pass resumes at the next run.');
    }
}
