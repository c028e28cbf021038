/**
 * The recurring HR job: registered as Apps-Engine scheduler processors and scheduled every
 * N minutes (setting, default 60) when the app is enabled or the setting changes. Both the
 * recurring run and the one-time continuation run one slice of the pass (pass.ts); the summary
 * is posted when a pass completes, and at once when a run could not check anyone.
 */
import { IHttp, IModify, IPersistence, IRead, ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { HrmServices } from '../../core/context';
import { readHrSettings } from '../../infra/settings/hrSettings';
import { CONTINUE_JOB_ID, runSlice, SliceOutcome } from './pass';
import { reportRun } from './report';

export const HR_JOB_ID = 'hrm-hr-job';
export { CONTINUE_JOB_ID };

/** Runs one slice and posts what there is to post; returns the outcome (tests print its figures). */
export async function runHrJobSlice(services: HrmServices, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<SliceOutcome> {
    const outcome = await runSlice({ services, read, modify, http, persis });
    const settings = await readHrSettings(services.settings.view(read.getEnvironmentReader().getSettings()));
    if (outcome.kind === 'completed') {
        await reportRun(services, read, modify, settings.reportRoom, outcome.summary, outcome.stats);
    } else if (outcome.kind === 'aborted') {
        await reportRun(services, read, modify, settings.reportRoom, outcome.summary);
    } else if (outcome.kind === 'paused' && outcome.interrupted) {
        await reportRun(services, read, modify, settings.reportRoom, outcome.interrupted);
    }
    return outcome;
}

export function hrJobProcessors(services: HrmServices): IProcessor[] {
    const processor = async (_context: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void> => {
        await runHrJobSlice(services, read, modify, http, persis);
    };
    return [
        { id: HR_JOB_ID, processor },
        { id: CONTINUE_JOB_ID, processor },
    ];
}

/** (Re)schedules the job at the interval in minutes; the first run is one interval from now. */
export async function scheduleHrJob(scheduler: ISchedulerModify, minutes: number): Promise<void> {
    await scheduler.cancelJob(HR_JOB_ID);
    await scheduler.scheduleRecurring({ id: HR_JOB_ID, interval: `${minutes} minutes`, skipImmediate: true });
}
