/**
 * Tests the client credentials without a user: an authorization_code grant with a code that
 * cannot exist, sent exactly as the login callback's exchange is (HTTP Basic, form body). An
 * authenticated client gets a "healthy" refusal (invalid_grant…); wrong credentials get
 * invalid_client.
 */
import { IHttp } from '@rocket.chat/apps-engine/definition/accessors';
import { describeErrorAnswer, jsonObject, oauthError } from '../../infra/http/json';
import { basicAuthorization, send } from '../../infra/http/request';
import { failWith, ok, Result } from '../../core/result';
import { ProviderConfig } from '../../infra/settings/providerConfig';

export type ProbeVerdict = 'accepted' | 'rejected' | 'unexpected';

export interface ProbeOutcome {
    readonly verdict: ProbeVerdict;
    /** Safe summary of the provider's answer, e.g. "invalid_grant". */
    readonly answer: string;
}

const PROBE_CODE = 'hrm-sso-check-not-a-real-code';
const HEALTHY_ERRORS = ['invalid_grant', 'unsupported_grant_type', 'unauthorized_client', 'invalid_scope'];

export function classifyProbe(status: number, error: string | undefined): ProbeVerdict {
    if (error === 'invalid_client') {
        return 'rejected';
    }
    if (error !== undefined && HEALTHY_ERRORS.includes(error) && status >= 400 && status < 500) {
        return 'accepted';
    }
    return 'unexpected';
}

export async function probeClient(http: IHttp, config: ProviderConfig, redirectUri: string): Promise<Result<ProbeOutcome>> {
    const answer = await send(http, {
        method: 'post',
        url: config.tokenUrl,
        headers: { Authorization: basicAuthorization(config.clientId, config.clientSecret) },
        form: { grant_type: 'authorization_code', code: PROBE_CODE, redirect_uri: redirectUri },
    });
    if (!answer.ok) {
        return failWith(answer.error);
    }
    const error = oauthError(answer.value);
    if (!error) {
        const json = jsonObject(answer.value);
        if (!json.ok) {
            return failWith(json.error);
        }
    }
    return ok({ verdict: classifyProbe(answer.value.status, error?.error), answer: describeErrorAnswer(answer.value) });
}
