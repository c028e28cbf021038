/**
 * Profile sync: HR fields into the Rocket.Chat user's custom fields, and an "On leave until …"
 * status text while the HRM says the user is on leave. The engine's updateCustomFields
 * replaces the whole object, so the current fields are read and merged: fields of other
 * sources are kept, and nothing is written when nothing changed.
 */
import { IModify, IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { HrmPerson } from '../hr/statusClient';

/** The custom field names the app owns (docs/hr-lifecycle.md gives the Accounts_CustomFieldsToShowInUserInfo JSON). */
export const CUSTOM_FIELDS = {
    department: 'hrmDepartment',
    jobTitle: 'hrmJobTitle',
    manager: 'hrmManager',
    employeeNumber: 'hrmEmployeeNumber',
} as const;

const LEAVE_RECORD = 'hrm-leave-status';

export interface LeaveRecord {
    /** The status text the user had before the leave, restored when it ends. */
    previous: string;
    /** What the app set, so a text the user changed since is left alone. */
    ours: string;
    /** Since 0.3, so the HR job can list every leave record with one read. */
    userId?: string;
}

/** Every leave record by user id, with one read; `complete` is false while records from before 0.3 (no user id) exist. */
export async function listLeaveRecords(read: IPersistenceRead): Promise<{ byUser: Map<string, LeaveRecord>; complete: boolean }> {
    const records = ((await read.readByAssociation(new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, LEAVE_RECORD))) ?? []) as LeaveRecord[];
    const byUser = new Map<string, LeaveRecord>();
    let complete = true;
    for (const r of records) {
        if (r && typeof r.userId === 'string') {
            byUser.set(r.userId, r);
        } else if (r) {
            complete = false;
        }
    }
    return { byUser, complete };
}

function leaveRecord(userId: string): RocketChatAssociationRecord[] {
    return [new RocketChatAssociationRecord(RocketChatAssociationModel.USER, userId), new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, LEAVE_RECORD)];
}

export function desiredFields(person: HrmPerson): Record<string, string | undefined> {
    return {
        [CUSTOM_FIELDS.department]: person.department,
        [CUSTOM_FIELDS.jobTitle]: person.jobTitle,
        [CUSTOM_FIELDS.manager]: person.manager ? `${person.manager.name} (@${person.manager.username})` : undefined,
        [CUSTOM_FIELDS.employeeNumber]: person.employeeNumber,
    };
}

/** The merged object, or undefined when it equals the current one. */
export function mergeFields(current: Record<string, unknown> | undefined, desired: Record<string, string | undefined>): Record<string, unknown> | undefined {
    const next: Record<string, unknown> = { ...(current ?? {}) };
    let changed = false;
    for (const [key, value] of Object.entries(desired)) {
        if (value === undefined) {
            if (key in next) {
                delete next[key];
                changed = true;
            }
        } else if (next[key] !== value) {
            next[key] = value;
            changed = true;
        }
    }
    return changed ? next : undefined;
}

export function leaveText(person: HrmPerson): string | undefined {
    return person.status === 'on_leave' ? (person.leaveUntil ? `On leave until ${person.leaveUntil}` : 'On leave') : undefined;
}

export interface SyncResult {
    readonly fieldsChanged: boolean;
    readonly statusText?: 'set' | 'restored';
}

/**
 * `known`: the leave records listed once for the whole batch (listLeaveRecords). When it is
 * complete, a user without an entry has no record and nothing is read per user.
 */
export async function syncProfile(
    user: IUser,
    person: HrmPerson,
    read: IPersistenceRead,
    modify: IModify,
    persis: IPersistence,
    known?: { byUser: Map<string, LeaveRecord>; complete: boolean },
): Promise<SyncResult> {
    const updater = modify.getUpdater().getUserUpdater();
    const merged = mergeFields(user.customFields as Record<string, unknown> | undefined, desiredFields(person));
    if (merged) {
        await updater.updateCustomFields(user, merged);
    }
    const wanted = leaveText(person);
    const current = user.statusText ?? '';
    let record = known?.byUser.get(user.id);
    if (!record && !(known?.complete ?? false) && (wanted ? current !== wanted : true)) {
        [record] = ((await read.readByAssociations(leaveRecord(user.id))) ?? []) as LeaveRecord[];
    }
    if (wanted) {
        if (current === wanted) {
            return { fieldsChanged: !!merged };
        }
        await persis.updateByAssociations(leaveRecord(user.id), { previous: record ? record.previous : current, ours: wanted, userId: user.id } as LeaveRecord, true);
        await updater.updateStatusText(user, wanted);
        return { fieldsChanged: !!merged, statusText: 'set' };
    }
    if (record) {
        await persis.removeByAssociations(leaveRecord(user.id));
        // Only put the old text back if the user did not change it during the leave.
        if (current === record.ours) {
            await updater.updateStatusText(user, record.previous);
            return { fieldsChanged: !!merged, statusText: 'restored' };
        }
    }
    return { fieldsChanged: !!merged };
}
