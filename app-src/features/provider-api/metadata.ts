/** RFC 8414 authorization server metadata. */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { jsonObject } from '../../infra/http/json';
import { send } from '../../infra/http/request';
import { fail, failWith, ok, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';

export interface ServerMetadata {
    readonly issuer: string;
    readonly authorizationEndpoint?: string;
    readonly tokenEndpoint?: string;
    readonly revocationEndpoint?: string;
    readonly userinfoEndpoint?: string;
}

function str(value: unknown): string | undefined {
    return typeof value === 'string' && value ? value : undefined;
}

export async function fetchMetadata(http: IHttp, config: ProviderConfig): Promise<Result<ServerMetadata>> {
    const answer = await send(http, { method: 'get', url: config.metadataUrl });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    if (answer.value.status !== 200) {
        return fail('provider_http_error', `The provider does not serve ${config.metadataUrl} (HTTP ${answer.value.status}).`);
    }
    const json = jsonObject(answer.value);
    if (!json.ok) {
        return failWith(json.error);
    }
    const issuer = str(json.value.issuer);
    if (!issuer) {
        return fail('provider_bad_response', 'The provider\'s metadata has no issuer.');
    }
    return ok({
        issuer,
        authorizationEndpoint: str(json.value.authorization_endpoint),
        tokenEndpoint: str(json.value.token_endpoint),
        revocationEndpoint: str(json.value.revocation_endpoint),
        userinfoEndpoint: str(json.value.userinfo_endpoint),
    });
}
