/** Reading provider answers as JSON objects, and RFC 6749 error bodies. */
import { fail, ok, Result } from '../../core/result';
import { HttpAnswer } from './request';

export type JsonObject = Record<string, unknown>;

export interface OAuthErrorBody {
    readonly error: string;
    readonly description?: string;
}

/** The body as a JSON object; HTML or garbage becomes one clear sentence. */
export function jsonObject(answer: HttpAnswer): Result<JsonObject> {
    const looksLikeHtml = /^\s*</.test(answer.body) || /html/i.test(answer.contentType);
    try {
        const parsed: unknown = JSON.parse(answer.body);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
            return ok(parsed as JsonObject);
        }
    } catch {
        // fall through
    }
    if (looksLikeHtml) {
        return fail('provider_bad_response', `The HRM provider answered with a web page instead of JSON (HTTP ${answer.status}): check the provider URL and paths.`);
    }
    return fail('provider_bad_response', `The HRM provider answered with something that is not JSON (HTTP ${answer.status}).`);
}

const ERROR_CODE = /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

/** `{error, error_description}` when the body is an RFC 6749 error, else undefined. */
export function oauthError(answer: HttpAnswer): OAuthErrorBody | undefined {
    const parsed = jsonObject(answer);
    if (!parsed.ok || typeof parsed.value.error !== 'string' || !ERROR_CODE.test(parsed.value.error)) {
        return undefined;
    }
    const description = parsed.value.error_description;
    return {
        error: parsed.value.error,
        description: typeof description === 'string' ? description.replace(/[^\x20-\x7E]/g, '').slice(0, 200) : undefined,
    };
}

/** A short, safe phrase for an error answer: "invalid_grant: Code expired" or "HTTP 502". */
export function describeErrorAnswer(answer: HttpAnswer): string {
    const error = oauthError(answer);
    if (error) {
        return error.description ? `${error.error} (${error.description})` : error.error;
    }
    return `HTTP ${answer.status}`;
}
