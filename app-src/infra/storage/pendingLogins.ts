/**
 * Pending logins: /hrm login records one per user (valid 10 minutes) holding the SHA-256 of a
 * one-time nonce that travels in the OAuth `state` next to the user id. Only a callback that
 * presents that nonce may consume the record, so a forged or replayed callback changes nothing.
 */
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { MINUTE_MS } from '../../core/time';
import { RecordKind, userRecord } from './associations';
// The Apps-Engine sandbox allows the 'crypto' module.
import { createHash, randomBytes, timingSafeEqual } from 'crypto';

export const PENDING_LOGIN_TTL_MS = 10 * MINUTE_MS;

interface PendingLoginRecord {
    startedAt: number;
    expiresAt: number;
    /** hex SHA-256 of the nonce; the nonce itself is only in the user's login link. */
    nonceDigest: string;
    /** Where /hrm login was run: the callback's chat notice goes there. */
    roomId?: string;
}

export type PendingLoginCheck =
    | { readonly state: 'valid'; readonly roomId?: string }
    | { readonly state: 'expired'; readonly roomId?: string }
    /** No pending login, or one whose nonce differs: nothing may change. */
    | { readonly state: 'unknown' };

function digest(nonce: string): Buffer {
    return createHash('sha256').update(nonce, 'utf8').digest();
}

/** Records a fresh pending login (replacing any earlier one) and returns its nonce. */
export async function startPendingLogin(persis: IPersistence, userId: string, now: number, roomId: string | undefined): Promise<string> {
    const nonce = randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const record: PendingLoginRecord = { startedAt: now, expiresAt: now + PENDING_LOGIN_TTL_MS, nonceDigest: digest(nonce).toString('hex'), ...(roomId ? { roomId } : {}) };
    await persis.updateByAssociations(userRecord(userId, RecordKind.PendingLogin), record, true);
    return nonce;
}

async function readRecords(read: IPersistenceRead, userId: string): Promise<Array<Partial<PendingLoginRecord>>> {
    return ((await read.readByAssociations(userRecord(userId, RecordKind.PendingLogin))) ?? []) as Array<Partial<PendingLoginRecord>>;
}

function matches(record: Partial<PendingLoginRecord>, nonce: string): boolean {
    if (typeof record.nonceDigest !== 'string' || !/^[0-9a-f]{64}$/.test(record.nonceDigest)) {
        return false;
    }
    return timingSafeEqual(Buffer.from(record.nonceDigest, 'hex'), digest(nonce));
}

/**
 * Consumes the pending login only when `nonce` is its nonce (compared in constant time);
 * otherwise leaves everything as it is and answers 'unknown'.
 */
export async function consumePendingLogin(read: IPersistenceRead, persis: IPersistence, userId: string, nonce: string, now: number): Promise<PendingLoginCheck> {
    const record = (await readRecords(read, userId)).find((r) => matches(r, nonce));
    if (!record) {
        return { state: 'unknown' };
    }
    const removed = ((await persis.removeByAssociations(userRecord(userId, RecordKind.PendingLogin))) ?? []) as Array<Partial<PendingLoginRecord>>;
    // Two callbacks racing with the same nonce: only the one that removed the record goes on.
    if (!removed.some((r) => matches(r, nonce))) {
        return { state: 'unknown' };
    }
    const roomId = typeof record.roomId === 'string' ? { roomId: record.roomId } : {};
    return typeof record.expiresAt === 'number' && record.expiresAt > now ? { state: 'valid', ...roomId } : { state: 'expired', ...roomId };
}

export async function hasPendingLogin(read: IPersistenceRead, userId: string, now: number): Promise<boolean> {
    return (await readRecords(read, userId)).some((r) => typeof r.expiresAt === 'number' && r.expiresAt > now);
}

export async function clearPendingLogin(persis: IPersistence, userId: string): Promise<void> {
    await persis.removeByAssociations(userRecord(userId, RecordKind.PendingLogin));
}
