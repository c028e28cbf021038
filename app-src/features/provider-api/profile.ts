/** The HRM identity as the userinfo endpoint describes it. */
import { JsonObject } from '../../infra/http/json';
import { fail, ok, Result } from '../../core/result';

export interface HrmProfile {
    readonly sub: string;
    readonly username?: string;
    readonly email?: string;
    /** true only when the provider says so explicitly (`email_verified: true`). */
    readonly emailVerified: boolean;
    readonly name?: string;
    readonly department?: string;
    readonly jobTitle?: string;
}

function text(value: unknown): string | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) {
        return String(value);
    }
    if (typeof value !== 'string') {
        return undefined;
    }
    const trimmed = value.trim();
    return trimmed ? trimmed.slice(0, 200) : undefined;
}

export function parseProfile(json: JsonObject): Result<HrmProfile> {
    const sub = text(json.sub) ?? text(json.id);
    if (!sub) {
        return fail('provider_bad_response', 'The HRM provider\'s user info has no user id (sub).');
    }
    const given = text(json.given_name);
    const family = text(json.family_name);
    return ok({
        sub,
        username: text(json.preferred_username) ?? text(json.username),
        email: text(json.email),
        emailVerified: json.email_verified === true || json.email_verified === 'true',
        name: text(json.name) ?? ([given, family].filter(Boolean).join(' ') || undefined),
        department: text(json.department),
        jobTitle: text(json.job_title),
    });
}
