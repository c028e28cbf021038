/**
 * The one place the app talks HTTP. Every call is bounded by a timeout (the engine's
 * bridge may ignore `timeout`, so the wait is also raced against a timer) and every failure
 * becomes an AppError. Nothing here logs: URLs and bodies can carry credentials.
 */
import { IHttp, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import { fail, ok, Result } from '../../core/result';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface HttpRequest {
    readonly method: 'get' | 'post';
    readonly url: string;
    readonly headers?: Record<string, string>;
    /** Sent as application/x-www-form-urlencoded. */
    readonly form?: Record<string, string>;
    /** Sent as application/json (the HR status endpoint). */
    readonly json?: unknown;
    readonly timeoutMs?: number;
}

export interface HttpAnswer {
    readonly status: number;
    readonly body: string;
    readonly contentType: string;
}

/** application/x-www-form-urlencoded, as RFC 6749 wants for bodies and Basic credentials. */
export function formEncode(values: Record<string, string>): string {
    return Object.entries(values)
        .map(([k, v]) => `${formEncodeComponent(k)}=${formEncodeComponent(v)}`)
        .join('&');
}

export function formEncodeComponent(value: string): string {
    return encodeURIComponent(value).replace(/%20/g, '+');
}

/** `Authorization: Basic …` for client credentials (RFC 6749 §2.3.1). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
    const pair = `${formEncodeComponent(clientId)}:${formEncodeComponent(clientSecret)}`;
    return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function send(http: IHttp, request: HttpRequest): Promise<Result<HttpAnswer>> {
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers: Record<string, string> = { Accept: 'application/json', ...(request.headers ?? {}) };
    let content: string | undefined;
    if (request.form) {
        content = formEncode(request.form);
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (request.json !== undefined) {
        content = JSON.stringify(request.json);
        headers['Content-Type'] = 'application/json';
    }
    const timedOut = fail<HttpAnswer>('provider_timeout', `The HRM provider did not answer within ${Math.max(1, Math.round(timeoutMs / 1000))} seconds.`);
    const started = Date.now();
    let response: IHttpResponse | undefined | 'timeout';
    try {
        // The bridge gets a little longer than our own timer, so ours decides and says "timeout".
        const options = { headers, content, timeout: timeoutMs + 1000 };
        const call = request.method === 'get' ? http.get(request.url, options) : http.post(request.url, options);
        response = await withTimeout(call, timeoutMs);
    } catch {
        return Date.now() - started >= timeoutMs ? timedOut : fail('provider_unreachable', 'The HRM provider could not be reached.');
    }
    if (response === 'timeout') {
        return timedOut;
    }
    if (!response || typeof response.statusCode !== 'number') {
        return fail('network_not_permitted', 'HRM SSO is not allowed to make network requests: an admin must grant the app its networking permission.');
    }
    const contentType = headerValue(response.headers, 'content-type');
    return ok({ status: response.statusCode, body: typeof response.content === 'string' ? response.content : '', contentType });
}

function headerValue(headers: Record<string, string> | undefined, name: string): string {
    if (!headers) {
        return '';
    }
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key ? String(headers[key]) : '';
}
