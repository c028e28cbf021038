/**
 * The HR job's state between invocations (docs/hr-lifecycle.md): the pass in progress (a cursor
 * over the linked users, ordered by Rocket.Chat user id, plus the summary so far) and the lease
 * that keeps two invocations from working at once. Both are app-wide records (MISC association).
 */
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { OAUTH_ALIAS } from '../settings/ids';

const PASS = `${OAUTH_ALIAS}-hr-pass`;
const LEASE = `${OAUTH_ALIAS}-hr-lease`;

const key = (kind: string): RocketChatAssociationRecord => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, kind);

/** Counters and report lines of one pass, kept across its invocations. */
export interface PassSummary {
    dryRun: boolean;
    checked: number;
    unlinked: number;
    deactivated: number;
    /** Dry run: who would be unlinked. */
    wouldUnlink: string[];
    profilesUpdated: number;
    channelJoins: number;
    channelLeaves: number;
    /** Users moved out of a department whose old channel the engine cannot leave them (Apps-Engine < 1.52). */
    oldChannelsKept: number;
    failed: number;
    /** One line each: failures, channel problems, slow or failing provider answers. */
    problems: string[];
    /** Set when the pass stopped before changing anything (provider down, not configured…). */
    aborted?: string;
    /** Identity records too old to carry the Rocket.Chat user id. */
    skippedOldLinks: number;
}

export interface PassState {
    readonly passId: string;
    readonly startedAt: number;
    /** Rocket.Chat user id of the last user handled; '' before the first. */
    cursor: string;
    /** Linked users when the pass started. */
    total: number;
    invocations: number;
    /** Longest invocation of this pass, ms. */
    longestMs: number;
    /** Longest status request seen in this pass, ms: a batch is only started when it fits the budget. */
    slowestStatusMs: number;
    summary: PassSummary;
}

export async function readPass(read: IPersistenceRead): Promise<PassState | undefined> {
    const [record] = ((await read.readByAssociation(key(PASS))) ?? []) as PassState[];
    return record && typeof record.passId === 'string' && typeof record.cursor === 'string' && record.summary ? record : undefined;
}

export async function savePass(persis: IPersistence, state: PassState): Promise<void> {
    await persis.updateByAssociation(key(PASS), state, true);
}

export async function clearPass(persis: IPersistence): Promise<void> {
    await persis.removeByAssociation(key(PASS));
}

interface Lease {
    owner: string;
    /** Epoch ms; after this the lease is free (an invocation that was killed cannot hold it forever). */
    until: number;
}

/**
 * Takes the lease unless another invocation holds one that has not expired. Persistence has no
 * compare-and-set, so the record is read back after writing: of two writers, the later one wins
 * and the other sees a different owner and steps back.
 */
export async function acquireLease(read: IPersistenceRead, persis: IPersistence, owner: string, now: number, holdMs: number): Promise<{ ok: true } | { ok: false; until: number }> {
    const [current] = ((await read.readByAssociation(key(LEASE))) ?? []) as Lease[];
    if (current && typeof current.until === 'number' && current.until > now && current.owner !== owner) {
        return { ok: false, until: current.until };
    }
    await persis.updateByAssociation(key(LEASE), { owner, until: now + holdMs } as Lease, true);
    const [mine] = ((await read.readByAssociation(key(LEASE))) ?? []) as Lease[];
    return mine && mine.owner === owner ? { ok: true } : { ok: false, until: mine?.until ?? now };
}

export async function releaseLease(read: IPersistenceRead, persis: IPersistence, owner: string): Promise<void> {
    const [current] = ((await read.readByAssociation(key(LEASE))) ?? []) as Lease[];
    if (current && current.owner === owner) {
        await persis.removeByAssociation(key(LEASE));
    }
}
