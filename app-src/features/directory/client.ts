/** The provider's directory (scope hrm), read with the asking user's own access token. */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer, jsonObject } from '../../infra/http/json';
import { send } from '../../infra/http/request';
import { fail, failWith, ok, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';
import { boundedText as text } from '../../core/text';

export const PEOPLE_PATH = '/api/v2/hrm/people/';
export const DIRECTORY_PATH = '/api/v2/hrm/directory/';

export interface Colleague {
    readonly username: string;
    readonly name?: string;
    readonly jobTitle?: string;
    readonly department?: string;
    readonly manager?: { readonly username: string; readonly name: string };
    readonly picture?: string;
    readonly employmentStatus?: string;
    readonly leaveUntil?: string;
}

export interface DirectoryPage {
    readonly q: string;
    readonly page: number;
    readonly pages: number;
    readonly total: number;
    readonly people: Colleague[];
}

export function parseColleague(raw: unknown): Colleague | undefined {
    if (!raw || typeof raw !== 'object') {
        return undefined;
    }
    const r = raw as Record<string, unknown>;
    const username = text(r.username);
    if (!username) {
        return undefined;
    }
    const m = r.manager && typeof r.manager === 'object' ? (r.manager as Record<string, unknown>) : undefined;
    const managerUsername = text(m?.username);
    return {
        username,
        name: text(r.name),
        jobTitle: text(r.job_title),
        department: text(r.department),
        manager: managerUsername ? { username: managerUsername, name: text(m?.name) ?? managerUsername } : undefined,
        picture: typeof r.picture === 'string' && /^https?:\/\/\S+$/.test(r.picture) ? r.picture : undefined,
        employmentStatus: text(r.employment_status),
        leaveUntil: text(r.leave_until),
    };
}

/** 403 insufficient_scope is its own error: the link predates the `hrm` scope. */
function refused(status: number, body: string): Result<never> | undefined {
    if (status === 401) {
        return fail('token_rejected', 'The HRM provider rejected the access token.');
    }
    if (status === 403 && /insufficient_scope/.test(body)) {
        return fail('insufficient_scope', 'Your HRM link does not include the directory (scope hrm): an admin must add `hrm` to the app\'s Scopes setting, then run /hrm login again.');
    }
    if (status === 429) {
        return fail('rate_limited', 'Too many directory lookups right now: try again in a minute.');
    }
    return undefined;
}

export async function fetchColleague(http: IHttp, config: ProviderConfig, token: string, username: string): Promise<Result<Colleague | undefined>> {
    const answer = await send(http, { method: 'get', url: `${config.providerUrl}${PEOPLE_PATH}${encodeURIComponent(username)}/`, headers: { Authorization: `Bearer ${token}` } });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    const bad = refused(answer.value.status, answer.value.body);
    if (bad) {
        return bad;
    }
    if (answer.value.status === 404) {
        return ok(undefined);
    }
    if (answer.value.status !== 200) {
        return fail('provider_http_error', `The HRM directory could not answer (${describeErrorAnswer(answer.value)}).`);
    }
    const json = jsonObject(answer.value);
    return json.ok ? ok(parseColleague(json.value)) : failWith(json.error);
}

export async function searchDirectory(http: IHttp, config: ProviderConfig, token: string, q: string, page: number): Promise<Result<DirectoryPage>> {
    const query = `q=${encodeURIComponent(q)}&page=${page}`;
    const answer = await send(http, { method: 'get', url: `${config.providerUrl}${DIRECTORY_PATH}?${query}`, headers: { Authorization: `Bearer ${token}` } });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    const bad = refused(answer.value.status, answer.value.body);
    if (bad) {
        return bad;
    }
    if (answer.value.status !== 200) {
        return fail('provider_http_error', `The HRM directory could not answer (${describeErrorAnswer(answer.value)}).`);
    }
    const json = jsonObject(answer.value);
    if (!json.ok) {
        return failWith(json.error);
    }
    const v = json.value;
    const num = (x: unknown, d: number) => (typeof x === 'number' && Number.isFinite(x) ? x : d);
    return ok({
        q,
        page: num(v.page, page),
        pages: num(v.pages, 1),
        total: num(v.total, 0),
        people: (Array.isArray(v.people) ? v.people : []).map(parseColleague).filter((c): c is Colleague => !!c),
    });
}
