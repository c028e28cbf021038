/**
 * What the HR job does with one batch of linked users (docs/hr-lifecycle.md): ask the provider's
 * status endpoint first, then change things. Left or deactivated in the HRM → the link is removed
 * and, when the admin setting is on, the Rocket.Chat user is deactivated (never re-activated).
 * Everyone else gets profile sync and department channels. One user's failure never stops the
 * others; a provider that cannot answer changes nothing for that batch. The pass over all users,
 * split into invocations that fit the engine's per-call limit, is in pass.ts.
 */
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { ProviderConfig } from '../../core/config';
import { HrmServices } from '../../core/context';
import { Result } from '../../core/result';
import { HrSettings, readHrSettings } from '../../infra/settings/hrSettings';
import { ChannelJoins, listChannelJoins, saveChannelJoins } from '../../infra/storage/channelJoins';
import { PassSummary } from '../../infra/storage/hrRun';
import { roomMemberRemover, RoomCache, syncDepartmentChannels } from '../directory/channels';
import { LeaveRecord, listLeaveRecords, syncProfile } from '../profile/sync';
import { Link, listLinks } from './links';
import { fetchStatuses, HrmPerson } from './statusClient';
import { unlinkLeaver } from './unlinkLeaver';

export type RunSummary = PassSummary;

export interface RunDeps {
    readonly services: HrmServices;
    readonly read: IRead;
    readonly modify: IModify;
    readonly http: IHttp;
    readonly persis: IPersistence;
}

/** Everything read once per invocation and shared by every user handled in it. */
export interface BatchContext {
    readonly deps: RunDeps;
    readonly config: ProviderConfig;
    readonly settings: HrSettings;
    readonly summary: PassSummary;
    readonly appUser: IUser | undefined;
    readonly rooms: RoomCache;
    readonly remover: ReturnType<typeof roomMemberRemover>;
    readonly leave: { byUser: Map<string, LeaveRecord>; complete: boolean };
    readonly joins: Map<string, ChannelJoins>;
    /** Milliseconds left in this invocation's budget. */
    left(): number;
}

const LEAVER_STATUSES = new Set(['left', 'deactivated']);
/** Report lines kept per pass; the app log has every line. */
export const MAX_SUMMARY_LINES = 50;
/** Default wait for one provider call (the HTTP layer's default). */
export const CALL_TIMEOUT_MS = 10_000;

export function emptySummary(settings: Pick<HrSettings, 'dryRun'>): PassSummary {
    return { dryRun: settings.dryRun, checked: 0, unlinked: 0, deactivated: 0, wouldUnlink: [], profilesUpdated: 0, channelJoins: 0, channelLeaves: 0, oldChannelsKept: 0, failed: 0, problems: [], skippedOldLinks: 0 };
}

/** Adds a report line (capped; every line goes to the log). */
export function addProblem(summary: PassSummary, deps: Pick<RunDeps, 'services'>, line: string): void {
    deps.services.logger().warn(`HR job: ${line}`);
    if (summary.problems.length < MAX_SUMMARY_LINES) {
        summary.problems.push(line);
    }
}

export async function prepareBatch(deps: RunDeps, config: ProviderConfig, settings: HrSettings, summary: PassSummary, deadline: number): Promise<BatchContext> {
    const reader = deps.read.getPersistenceReader();
    const [appUser, leave, joins] = await Promise.all([deps.read.getUserReader().getAppUser(), listLeaveRecords(reader), listChannelJoins(reader)]);
    return {
        deps, config, settings, summary, appUser, leave, joins,
        rooms: new RoomCache(deps.read),
        remover: roomMemberRemover(deps.modify),
        left: () => deadline - Date.now(),
    };
}

/** A provider call's timeout: never longer than what is left of the invocation's budget. */
export function callTimeout(ctx: Pick<BatchContext, 'left'>, reserveMs = 500): number {
    return Math.max(250, Math.min(CALL_TIMEOUT_MS, ctx.left() - reserveMs));
}

export async function askStatuses(ctx: BatchContext, links: readonly Link[]): Promise<Result<Map<string, HrmPerson>>> {
    return fetchStatuses(ctx.deps.http, ctx.config, links.map((l) => l.identity.sub), callTimeout(ctx));
}

/** Every user of the batch asked about is unknown to the provider: a wrong provider or client, not a mass exodus. */
export function looksMisconfigured(links: readonly Link[], answers: Map<string, HrmPerson>): boolean {
    return links.length > 1 && links.every((l) => answers.get(l.identity.sub)?.status === 'unknown');
}

/** Handles one user; a failure becomes a report line and never stops the others. */
export async function handleUser(ctx: BatchContext, link: Link, person: HrmPerson): Promise<void> {
    ctx.summary.checked++;
    try {
        await handleOne(ctx, link, person);
    } catch (error) {
        ctx.summary.failed++;
        addProblem(ctx.summary, ctx.deps, `@${link.identity.username ?? link.userId}: ${error instanceof Error ? error.message.slice(0, 200) : 'failed'}`);
    }
}

async function handleOne(ctx: BatchContext, link: Link, person: HrmPerson): Promise<void> {
    const { deps, settings, summary } = ctx;
    // Read fresh: a user renamed since the pass started is reported under the new name.
    const user = await deps.read.getUserReader().getById(link.userId);
    const who = user?.username ? `@${user.username}` : link.userId;
    // An HRM account that no longer exists is unlinked like a leaver, but its chat user is not deactivated.
    if (LEAVER_STATUSES.has(person.status) || person.status === 'unknown') {
        if (settings.dryRun) {
            if (summary.wouldUnlink.length < MAX_SUMMARY_LINES) {
                summary.wouldUnlink.push(`${who} (${person.status === 'unknown' ? 'no longer in the HRM' : person.status})`);
            }
            return;
        }
        await unlinkLeaver(deps.services.oauth, deps.http, deps.persis, ctx.config, user ?? ({ id: link.userId } as IUser), () => callTimeout(ctx, 1000));
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
                addProblem(summary, deps, `${who} was unlinked but not deactivated (${why}): deactivate them by hand, e.g. after transferring the rooms they own.`);
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
        const synced = await syncProfile(user, person, deps.read.getPersistenceReader(), deps.modify, deps.persis, ctx.leave);
        if (synced.fieldsChanged || synced.statusText) {
            summary.profilesUpdated++;
        }
    }
    if (!settings.mappingError) {
        const channels = await syncDepartmentChannels({ modify: deps.modify, appUser: ctx.appUser, rooms: ctx.rooms, remover: ctx.remover }, user, person.groups, settings.departmentChannels, ctx.joins.get(user.id));
        summary.channelJoins += channels.joined.length;
        summary.channelLeaves += channels.left.length;
        summary.oldChannelsKept += channels.kept.length;
        for (const problem of channels.problems) {
            addProblem(summary, deps, `${who}: ${problem}`);
        }
        if (channels.joins) {
            await saveChannelJoins(deps.persis, channels.joins);
            ctx.joins.set(user.id, channels.joins);
        }
    }
}

/**
 * Profile sync and department channels for a few users at once (a new link), outside the
 * job's passes: one status request, no lease, no cursor.
 */
export async function syncLinkedUsers(deps: RunDeps, userIds: string[]): Promise<PassSummary> {
    const settings = await readHrSettings(deps.services.settings.view(deps.read.getEnvironmentReader().getSettings()));
    const summary = emptySummary(settings);
    const config = await deps.services.loadConfig(deps.read);
    if (!config.ok) {
        summary.aborted = `${config.error.message} Nothing was changed; the job tries again at its next run.`;
        return summary;
    }
    const links = (await listLinks(deps.read.getPersistenceReader())).links.filter((l) => userIds.includes(l.userId));
    if (links.length === 0) {
        return summary;
    }
    const ctx = await prepareBatch(deps, config.value, settings, summary, Date.now() + CALL_TIMEOUT_MS * 2);
    const answers = await askStatuses(ctx, links);
    if (!answers.ok) {
        summary.aborted = `${answers.error.message} Nothing was changed; the job tries again at its next run.`;
        return summary;
    }
    for (const link of links) {
        await handleUser(ctx, link, answers.value.get(link.identity.sub) as HrmPerson);
    }
    return summary;
}
