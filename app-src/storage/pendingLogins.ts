/**
 * Pending logins: /hrm login records one per user (valid 10 minutes); the OAuth callback
 * consumes it, whatever the outcome, so each login link can complete at most once.
 */
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { MINUTE_MS } from '../lib/time';
import { RecordKind, userRecord } from './associations';

export const PENDING_LOGIN_TTL_MS = 10 * MINUTE_MS;

interface PendingLoginRecord {
    startedAt: number;
    expiresAt: number;
    /** Where /hrm login was run: the callback's chat notice goes there. */
    roomId?: string;
}

export type PendingLoginState = 'valid' | 'expired' | 'none';

export interface ConsumedLogin {
    readonly state: PendingLoginState;
    readonly roomId?: string;
}

export async function startPendingLogin(persis: IPersistence, userId: string, now: number, roomId: string | undefined): Promise<void> {
    const record: PendingLoginRecord = { startedAt: now, expiresAt: now + PENDING_LOGIN_TTL_MS, ...(roomId ? { roomId } : {}) };
    await persis.updateByAssociations(userRecord(userId, RecordKind.PendingLogin), record, true);
}

/** Removes the pending login and says whether it was there and still valid. */
export async function consumePendingLogin(persis: IPersistence, userId: string, now: number): Promise<ConsumedLogin> {
    const removed = ((await persis.removeByAssociations(userRecord(userId, RecordKind.PendingLogin))) ?? []) as Array<Partial<PendingLoginRecord>>;
    if (removed.length === 0) {
        return { state: 'none' };
    }
    const valid = removed.find((r) => typeof r.expiresAt === 'number' && r.expiresAt > now);
    const roomId = (valid ?? removed[0]).roomId;
    return { state: valid ? 'valid' : 'expired', ...(typeof roomId === 'string' ? { roomId } : {}) };
}

export async function hasPendingLogin(read: IPersistenceRead, userId: string, now: number): Promise<boolean> {
    const records = (await read.readByAssociations(userRecord(userId, RecordKind.PendingLogin))) as Array<Partial<PendingLoginRecord>>;
    return records.some((r) => typeof r.expiresAt === 'number' && r.expiresAt > now);
}

export async function clearPendingLogin(persis: IPersistence, userId: string): Promise<void> {
    await persis.removeByAssociations(userRecord(userId, RecordKind.PendingLogin));
}
