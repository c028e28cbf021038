/**
 * The recurring HR job: registered as an Apps-Engine scheduler processor and scheduled every
 * N minutes (setting, default 60) when the app is enabled or the setting changes.
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { ISchedulerModify } from '@rocket.chat/apps-engine/definition/accessors';
import { HrmServices } from '../../core/context';
import { runHrJob } from './offboarding';
import { reportRun } from './report';
import { readHrSettings } from '../../infra/settings/hrSettings';

export const HR_JOB_ID = 'hrm-hr-job';

export function hrJobProcessor(services: HrmServices): IProcessor {
    return {
        id: HR_JOB_ID,
        processor: async (_context: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void> => {
            const settings = await readHrSettings(read.getEnvironmentReader().getSettings());
            const summary = await runHrJob({ services, read, modify, http, persis });
            await reportRun(services, read, modify, settings.reportRoom, summary);
        },
    };
}

/** (Re)schedules the job at the interval in minutes; the first run is one interval from now. */
export async function scheduleHrJob(scheduler: ISchedulerModify, minutes: number): Promise<void> {
    await scheduler.cancelJob(HR_JOB_ID);
    await scheduler.scheduleRecurring({ id: HR_JOB_ID, interval: `${minutes} minutes`, skipImmediate: true });
}
