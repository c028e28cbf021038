/**
 * HTTP bridge doing real HTTP with Node's fetch, shaped like Rocket.Chat's own bridge:
 * `params`/`query` extend the URL, `content` is the raw body, `data` a JSON body,
 * `auth` ("user:password") becomes HTTP Basic, `timeout` bounds the request.
 * A transport failure rejects, as in Rocket.Chat. Calls are counted (URLs without query).
 */
import { HttpBridge, IHttpBridgeRequestInfo } from '@rocket.chat/apps-engine/server/bridges';
import { IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';

const DEFAULT_TIMEOUT_MS = 30_000;

export class FetchHttpBridge extends HttpBridge {
    /** Method and URL (origin + path, no query) of every call the engine let through. */
    public readonly calls: Array<{ method: string; url: string }> = [];

    protected async call(info: IHttpBridgeRequestInfo): Promise<IHttpResponse> {
        const { request } = info;
        const url = new URL(info.url);
        for (const [key, value] of Object.entries(request.params ?? {})) {
            url.searchParams.set(key, value);
        }
        if (request.query) {
            url.search = url.search ? `${url.search}&${request.query}` : `?${request.query}`;
        }
        const headers: Record<string, string> = { ...(request.headers ?? {}) };
        let body: string | undefined;
        if (request.content !== undefined) {
            body = request.content;
        } else if (request.data !== undefined) {
            body = JSON.stringify(request.data);
            headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
        }
        if (request.auth) {
            headers.Authorization = `Basic ${Buffer.from(request.auth).toString('base64')}`;
        }
        const method = info.method.toUpperCase();
        this.calls.push({ method, url: `${url.origin}${url.pathname}` });
        const response = await fetch(url, {
            method,
            headers,
            body,
            redirect: 'follow',
            signal: AbortSignal.timeout(request.timeout ?? DEFAULT_TIMEOUT_MS),
        });
        const content = await response.text();
        let data: unknown;
        try {
            data = JSON.parse(content);
        } catch {
            data = undefined;
        }
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, key) => {
            responseHeaders[key] = value;
        });
        return { url: info.url, method: info.method, statusCode: response.status, headers: responseHeaders, content, data };
    }
}
