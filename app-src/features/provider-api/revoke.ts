/** RFC 7009 revocation with client authentication (HTTP Basic), as DOT requires. */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer } from '../../infra/http/json';
import { basicAuthorization, send } from '../../infra/http/request';
import { fail, failWith, ok, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';

export type TokenTypeHint = 'access_token' | 'refresh_token';

export async function revokeToken(http: IHttp, config: ProviderConfig, token: string, hint: TokenTypeHint, timeoutMs?: number): Promise<Result<void>> {
    const answer = await send(http, {
        method: 'post',
        url: config.revokeUrl,
        headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret) },
        form: { token, token_type_hint: hint },
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    // RFC 7009 §2.2: 200 also for tokens that were already invalid.
    if (answer.value.status === 200) {
        return ok(undefined);
    }
    return fail('provider_http_error', `The HRM provider refused to revoke the token (${describeErrorAnswer(answer.value)}).`);
}
