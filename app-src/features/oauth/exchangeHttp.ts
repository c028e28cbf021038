/**
 * The engine's OAuth2Client exchanges the code by POSTing every parameter — client secret
 * included — in the query string of the token URL, which RFC 6749 §2.3.1 forbids, oauthlib
 * (Django OAuth Toolkit) refuses with 400, and every access log records. The engine makes that
 * call through the IHttp the callback endpoint hands it, so the guarded callback passes this
 * adapter instead: it recognises the exchange (a POST to the configured token URL with
 * grant_type=authorization_code) and sends it as RFC 6749 wants — HTTP Basic client
 * authentication and a form body with only grant_type, code and redirect_uri. The URL the
 * engine built never leaves the process; other calls pass through unchanged.
 */
import { IHttp, IHttpRequest, IHttpResponse, RequestMethod } from '@rocket.chat/apps-engine/definition/accessors';
import { basicAuthorization, send } from '../../infra/http/request';
import { ProviderConfig } from '../../infra/settings/providerConfig';
// The Apps-Engine sandbox has no global URL: take it from the allowed 'url' module.
import { URL } from 'url';

export interface ExchangeOutcome {
    /** Set when the provider could not be asked: one sentence for the user. */
    exchangeFailure?: string;
}

function withoutQuery(href: string): string | undefined {
    try {
        const url = new URL(href);
        return `${url.origin}${url.pathname}`;
    } catch {
        return undefined;
    }
}

export function isEngineCodeExchange(href: string, config: ProviderConfig): boolean {
    const target = withoutQuery(href);
    if (!target || target !== withoutQuery(config.tokenUrl)) {
        return false;
    }
    return new URL(href).searchParams.get('grant_type') === 'authorization_code';
}

function jsonResponse(url: string, statusCode: number, content: string, contentType = 'application/json'): IHttpResponse {
    return { url, method: RequestMethod.POST, statusCode, headers: { 'content-type': contentType }, content };
}

export function exchangeHttp(http: IHttp, config: ProviderConfig, outcome: ExchangeOutcome): IHttp {
    return {
        get: (url, options) => http.get(url, options),
        put: (url, options) => http.put(url, options),
        del: (url, options) => http.del(url, options),
        patch: (url, options) => http.patch(url, options),
        post: async (url: string, options?: IHttpRequest): Promise<IHttpResponse> => {
            if (!isEngineCodeExchange(url, config)) {
                return http.post(url, options);
            }
            const engine = new URL(url).searchParams;
            const answer = await send(http, {
                method: 'post',
                url: config.tokenUrl,
                headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret) },
                form: { grant_type: 'authorization_code', code: engine.get('code') ?? '', redirect_uri: engine.get('redirect_uri') ?? '' },
            });
            if (!answer.ok) {
                outcome.exchangeFailure = answer.error.message;
                // A 4xx with an error body: the engine hands it to the app's callback, which vetoes.
                return jsonResponse(config.tokenUrl, 400, JSON.stringify({ error: 'temporarily_unavailable' }));
            }
            if (answer.value.status >= 500) {
                outcome.exchangeFailure = `The HRM provider failed to exchange the code (HTTP ${answer.value.status}).`;
                return jsonResponse(config.tokenUrl, 400, JSON.stringify({ error: 'server_error' }));
            }
            try {
                JSON.parse(answer.value.body);
            } catch {
                outcome.exchangeFailure = `The HRM provider answered the code exchange with something that is not JSON (HTTP ${answer.value.status}): check the token path.`;
                return jsonResponse(config.tokenUrl, 400, JSON.stringify({ error: 'invalid_response' }));
            }
            return jsonResponse(config.tokenUrl, answer.value.status, answer.value.body, answer.value.contentType || 'application/json');
        },
    };
}
