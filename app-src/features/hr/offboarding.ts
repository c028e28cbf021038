/**
 * One run of the HR job (docs/hr-lifecycle.md): every linked user is checked against the
 * provider's status endpoint in batches. Left or deactivated in the HRM → the link is removed
 * and, when the admin setting is on, the Rocket.Chat user is deactivated (never re-activated).
 * Everyone else gets profile sync and department channels. One user's failure never stops the
 * others; a provider that cannot answer changes nothing ("try next run"); a provider that knows
 * none of the linked users is taken for a misconfiguration, and nothing changes either.
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmServices } from '../../core/context';
import { joinDepartmentChannels } from '../directory/channels';
import { syncProfile } from '../profile/sync';
import { listLinks, Link } from './links';
import { HrSettings, readHrSettings } from '../../infra/settings/hrSettings';
import { fetchStatuses, HrmPerson, STATUS_BATCH } from './statusClient';
import { unlinkLeaver } from './unlinkLeaver';

export interface RunSummary {
    dryRun: boolean;
    checked: number;
    unlinked: number;
    deactivated: number;
    /** Dry run: who would be unlinked. */
    wouldUnlink: string[];
    profilesUpdated: number;
    channelJoins: number;
    failed: number;
    /** One line each: failures and channel problems. */
    problems: string[];
    /** Set when the run stopped before changing anything (provider down, not configured…). */
    aborted?: string;
    /** Identity records too old to carry the Rocket.Chat user id. */
    skippedOldLinks: number;
}

export interface RunDeps {
    readonly services: HrmServices;
    readonly read: IRead;
    readonly modify: IModify;
    readonly http: IHttp;
    readonly persis: IPersistence;
}

const LEAVER_STATUSES = new Set(['left', 'deactivated']);

function emptySummary(settings: HrSettings): RunSummary {
    return { dryRun: settings.dryRun, checked: 0, unlinked: 0, deactivated: 0, wouldUnlink: [], profilesUpdated: 0, channelJoins: 0, failed: 0, problems: [], skippedOldLinks: 0 };
}

export async function runHrJob(deps: RunDeps, only?: string[]): Promise<RunSummary> {
    const { services, read } = deps;
    const settings = await readHrSettings(read.getEnvironmentReader().getSettings());
    const summary = emptySummary(settings);
    const config = await services.loadConfig(read);
    if (!config.ok) {
        summary.aborted = `${config.error.message} Nothing was changed; the job tries again at its next run.`;
        return summary;
    }
    const { links: all, withoutUserId } = await listLinks(read.getPersistenceReader());
    const links = only ? all.filter((l) => only.includes(l.userId)) : all;
    summary.skippedOldLinks = only ? 0 : withoutUserId;
    if (settings.mappingError) {
        summary.problems.push(`Department channels skipped: ${settings.mappingError}.`);
    }
    // Ask first, change after: a provider failure part-way leaves everything as it was.
    const answers = new Map<string, HrmPerson>();
    for (let i = 0; i < links.length; i += STATUS_BATCH) {
        const batch = links.slice(i, i + STATUS_BATCH);
        const result = await fetchStatuses(deps.http, config.value, batch.map((l) => l.identity.sub));
        if (!result.ok) {
            summary.aborted = `${result.error.message} Nothing was changed; the job tries again at its next run.`;
            return summary;
        }
        result.value.forEach((person, id) => answers.set(id, person));
    }
    if (links.length > 1 && links.every((l) => answers.get(l.identity.sub)?.status === 'unknown')) {
        summary.aborted = 'The HRM provider knows none of the linked users: check the provider URL and client. Nothing was changed.';
        return summary;
    }
    const appUser = await read.getUserReader().getAppUser();
    for (const link of links) {
        summary.checked++;
        try {
            await handleOne(deps, config.value, settings, link, answers.get(link.identity.sub) as HrmPerson, appUser, summary);
        } catch (error) {
            summary.failed++;
            summary.problems.push(`@${link.identity.username ?? link.userId}: ${error instanceof Error ? error.message.slice(0, 200) : 'failed'}`);
        }
    }
    return summary;
}

async function handleOne(deps: RunDeps, config: Parameters<typeof unlinkLeaver>[3], settings: HrSettings, link: Link, person: HrmPerson, appUser: IUser | undefined, summary: RunSummary): Promise<void> {
    const user = await deps.read.getUserReader().getById(link.userId);
    const who = user?.username ? `@${user.username}` : link.userId;
    // An HRM account that no longer exists is unlinked like a leaver, but its chat user is not deactivated.
    if (LEAVER_STATUSES.has(person.status) || person.status === 'unknown') {
        if (settings.dryRun) {
            summary.wouldUnlink.push(`${who} (${person.status === 'unknown' ? 'no longer in the HRM' : person.status})`);
            return;
        }
        await unlinkLeaver(deps.services.oauth, deps.http, deps.persis, config, user ?? ({ id: link.userId } as IUser));
        summary.unlinked++;
        deps.services.logger().info(`HR job: unlinked ${link.userId} (HRM status ${person.status}).`);
        if (settings.deactivateLeavers && person.status !== 'unknown' && user && user.isEnabled !== false) {
            // confirmRelinquish=false: Rocket.Chat refuses to deactivate the last owner of a room
            // rather than hand the room over or delete it; the admin decides (reported below).
            try {
                await deps.modify.getUpdater().getUserUpdater().deactivate(user.id, false);
            } catch (error) {
                summary.failed++;
                const why = error instanceof Error ? error.message.slice(0, 200) : 'refused';
                summary.problems.push(`${who} was unlinked but not deactivated (${why}): deactivate them by hand, e.g. after transferring the rooms they own.`);
                return;
            }
            summary.deactivated++;
            deps.services.logger().info(`HR job: deactivated Rocket.Chat user ${user.id}.`);
        }
        return;
    }
    if (!user || settings.dryRun) {
        return;
    }
    if (settings.profileSync) {
        const synced = await syncProfile(user, person, deps.read.getPersistenceReader(), deps.modify, deps.persis);
        if (synced.fieldsChanged || synced.statusText) {
            summary.profilesUpdated++;
        }
    }
    if (!settings.mappingError) {
        const channels = await joinDepartmentChannels(user, person.groups, settings.departmentChannels, deps.read, deps.modify, appUser);
        summary.channelJoins += channels.joined.length;
        summary.problems.push(...channels.problems.map((p) => `${who}: ${p}`));
    }
}
