/**
 * POST <provider>/api/v2/hrm/status/ with the app's client credentials (HTTP Basic): the
 * employment status and HR fields of a batch of HRM users, by subject id.
 */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer, jsonObject } from '../../infra/http/json';
import { basicAuthorization, send } from '../../infra/http/request';
import { fail, failWith, ok, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { boundedText as text } from '../../core/text';

export const STATUS_PATH = '/api/v2/hrm/status/';
/** The provider's default HRM_STATUS_BATCH_MAX. */
export const STATUS_BATCH = 100;

export type HrmStatus = 'active' | 'on_leave' | 'left' | 'deactivated' | 'unknown';

export interface HrmPerson {
    readonly id: string;
    readonly status: HrmStatus;
    readonly username?: string;
    readonly name?: string;
    readonly department?: string;
    readonly jobTitle?: string;
    readonly manager?: { readonly username: string; readonly name: string };
    readonly employeeNumber?: string;
    /** YYYY-MM-DD */
    readonly leaveUntil?: string;
    readonly groups: string[];
    readonly picture?: string;
}

const STATUSES: HrmStatus[] = ['active', 'on_leave', 'left', 'deactivated', 'unknown'];

export function parsePerson(raw: unknown): HrmPerson | undefined {
    if (!raw || typeof raw !== 'object') {
        return undefined;
    }
    const r = raw as Record<string, unknown>;
    const id = text(r.id);
    const status = STATUSES.find((s) => s === r.status);
    if (!id || !status) {
        return undefined;
    }
    const m = r.manager as Record<string, unknown> | undefined;
    const managerName = m && typeof m === 'object' ? text(m.username) : undefined;
    return {
        id,
        status,
        username: text(r.username),
        name: text(r.name),
        department: text(r.department),
        jobTitle: text(r.job_title),
        manager: managerName ? { username: managerName, name: text(m?.name) ?? managerName } : undefined,
        employeeNumber: text(r.employee_number),
        leaveUntil: typeof r.leave_until === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.leave_until) ? r.leave_until : undefined,
        groups: Array.isArray(r.groups) ? r.groups.filter((g): g is string => typeof g === 'string').slice(0, 50) : [],
        picture: typeof r.picture === 'string' && /^https?:\/\//.test(r.picture) ? r.picture : undefined,
    };
}

export async function fetchStatuses(http: IHttp, config: ProviderConfig, ids: string[], timeoutMs?: number): Promise<Result<Map<string, HrmPerson>>> {
    const answer = await send(http, {
        method: 'post',
        url: `${config.providerUrl}${STATUS_PATH}`,
        headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret), 'Content-Type': 'application/json' },
        json: { ids },
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    if (answer.value.status === 429) {
        return fail('rate_limited', 'The HRM provider rate-limited the status check (HTTP 429): raise its HRM_STATUS_RATE_LIMIT to at least one request per 100 linked users per window.');
    }
    if (answer.value.status !== 200) {
        return fail('provider_http_error', `The HRM provider refused the status check (${describeErrorAnswer(answer.value)}).`);
    }
    const json = jsonObject(answer.value);
    if (!json.ok) {
        return failWith(json.error);
    }
    const users = Array.isArray(json.value.users) ? json.value.users.map(parsePerson) : [];
    const byId = new Map<string, HrmPerson>();
    for (const person of users) {
        if (person) {
            byId.set(person.id, person);
        }
    }
    // Every id must be answered: a partial answer is a broken provider, not "the rest left".
    if (ids.some((id) => !byId.has(id))) {
        return fail('provider_bad_response', 'The HRM provider\'s status answer does not cover every user asked about.');
    }
    return ok(byId);
}
