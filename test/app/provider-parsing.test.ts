/** Unit tests: settings validation, provider answers, identity matching, time and encoding. */
import { applyConfig, createClientOptions, UNCONFIGURED_BASE } from '../../app-src/features/oauth/clientOptions';
import { identityMatchesUser } from '../../app-src/features/oauth/identityMatch';
import { classifyProbe } from '../../app-src/features/provider-api/clientProbe';
import { parseProfile } from '../../app-src/features/provider-api/profile';
import { parseTokenSet } from '../../app-src/features/provider-api/tokens';
import { describeErrorAnswer, jsonObject, oauthError } from '../../app-src/infra/http/json';
import { basicAuthorization, formEncode } from '../../app-src/infra/http/request';
import { expiryFromExpiresIn, isExpired } from '../../app-src/core/time';
import { inspectSettings, parseProviderConfig, parseScopes, resolveEndpoint } from '../../app-src/infra/settings/providerConfig';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

const complete = { providerUrl: 'https://hrm.example.com/', clientId: 'id', clientSecret: 'secret' };

describe('settings → ProviderConfig', () => {
    test('defaults give DOT paths and absolute URLs', () => {
        const config = parseProviderConfig(complete);
        expect(config).toEqual({
            ok: true,
            value: {
                providerUrl: 'https://hrm.example.com',
                authorizeUrl: 'https://hrm.example.com/o/authorize/',
                tokenUrl: 'https://hrm.example.com/o/token/',
                revokeUrl: 'https://hrm.example.com/o/revoke_token/',
                userinfoUrl: 'https://hrm.example.com/api/v2/o/userinfo/',
                metadataUrl: 'https://hrm.example.com/.well-known/oauth-authorization-server',
                scopes: ['read', 'write'],
                clientId: 'id',
                clientSecret: 'secret',
                requireIdentityMatch: true,
                identityAdminApproval: false,
            },
        });
    });

    test('a provider under a path prefix, relative and absolute endpoint settings', () => {
        const config = parseProviderConfig({ ...complete, providerUrl: 'https://sso.example.com/hrm', tokenPath: 'oauth/token', revokePath: 'https://other.example.com/revoke', requireIdentityMatch: false });
        expect(config.ok && config.value.tokenUrl).toBe('https://sso.example.com/hrm/oauth/token');
        expect(config.ok && config.value.authorizeUrl).toBe('https://sso.example.com/hrm/o/authorize/');
        expect(config.ok && config.value.revokeUrl).toBe('https://other.example.com/revoke');
        expect(config.ok && config.value.metadataUrl).toBe('https://sso.example.com/.well-known/oauth-authorization-server');
        expect(config.ok && config.value.requireIdentityMatch).toBe(false);
    });

    test('missing settings are all named', () => {
        expect(parseProviderConfig({ clientSecret: '  ' })).toEqual({
            ok: false,
            error: { code: 'not_configured', message: "HRM SSO is not set up yet: a Rocket.Chat admin must fill in the HRM provider URL, client ID and client secret in the app's settings." },
        });
        expect(inspectSettings({ providerUrl: 'https://x.test', clientId: 'a' }).missing).toEqual(['client secret']);
    });

    test.each([['not a url'], ['ftp://x.test'], ['https://u:p@x.test'], ['https://x.test/?a=1'], ['https://x.test/#f'], [42]])('provider URL %j is invalid', (providerUrl) => {
        const config = parseProviderConfig({ ...complete, providerUrl: providerUrl as string });
        expect(config.ok).toBe(false);
        expect(!config.ok && config.error.code).toBe(typeof providerUrl === 'string' ? 'invalid_setting' : 'not_configured');
    });

    test('endpoints and scopes are validated', () => {
        expect(resolveEndpoint('https://x.test', '/o/to ken/', 'token path').ok).toBe(false);
        expect(resolveEndpoint('https://x.test', '/o/token/#x', 'token path').ok).toBe(false);
        expect(resolveEndpoint('https://x.test', 'http://[bad', 'token path').ok).toBe(false);
        expect(parseScopes('read,write  read')).toEqual({ ok: true, value: ['read', 'write'] });
        expect(parseScopes('').ok && parseScopes('').ok).toBe(true);
        expect(parseScopes('read "write"').ok).toBe(false);
        expect(inspectSettings({ ...complete, scopes: 'a\\b' }).invalid).toEqual(['The scopes setting may only contain scope names separated by spaces.']);
    });

    test('applyConfig mutates the same options object; an unusable config points nowhere', () => {
        const callback = async () => undefined;
        const options = createClientOptions(callback);
        const config = parseProviderConfig(complete);
        applyConfig(options, config);
        expect(options.accessTokenUri).toBe('https://hrm.example.com/o/token/');
        expect(options.refreshTokenUri).toBe('https://hrm.example.com/o/token/');
        expect(options.revokeTokenUri).toBe('https://hrm.example.com/o/revoke_token/');
        expect(options.defaultScopes).toEqual(['read', 'write']);
        expect(options.authorizationCallback).toBe(callback);
        applyConfig(options, parseProviderConfig({}));
        for (const uri of [options.authUri, options.accessTokenUri, options.refreshTokenUri, options.revokeTokenUri]) {
            expect(uri.startsWith(`${UNCONFIGURED_BASE}/`)).toBe(true);
            expect(new URL(uri).hostname.endsWith('.invalid')).toBe(true);
        }
    });
});

describe('provider answers', () => {
    const answer = (status: number, body: string, contentType = 'application/json') => ({ status, body, contentType });

    test('jsonObject: JSON objects only, one sentence for HTML and garbage', () => {
        expect(jsonObject(answer(200, '{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
        expect(jsonObject(answer(200, '<html></html>', 'text/html'))).toEqual({
            ok: false,
            error: { code: 'provider_bad_response', message: 'The HRM provider answered with a web page instead of JSON (HTTP 200): check the provider URL and paths.' },
        });
        expect(jsonObject(answer(502, 'Bad gateway', 'text/plain'))).toEqual({ ok: false, error: { code: 'provider_bad_response', message: 'The HRM provider answered with something that is not JSON (HTTP 502).' } });
        expect(jsonObject(answer(200, '[1,2]')).ok).toBe(false);
        expect(jsonObject(answer(200, 'null')).ok).toBe(false);
    });

    test('oauthError reads RFC 6749 errors and sanitises the description', () => {
        expect(oauthError(answer(400, '{"error":"invalid_grant","error_description":"Code\\nexpired"}'))).toEqual({ error: 'invalid_grant', description: 'Codeexpired' });
        expect(oauthError(answer(400, '{"error":{"nested":true}}'))).toBeUndefined();
        expect(oauthError(answer(400, '<html>'))).toBeUndefined();
        expect(describeErrorAnswer(answer(401, '{"error":"invalid_client"}'))).toBe('invalid_client');
        expect(describeErrorAnswer(answer(500, 'boom', 'text/plain'))).toBe('HTTP 500');
    });

    test('parseTokenSet needs an access token and reads the rest leniently', () => {
        expect(parseTokenSet({ access_token: 'a', refresh_token: 'r', expires_in: '3600', scope: 'read' })).toEqual({ ok: true, value: { accessToken: 'a', refreshToken: 'r', expiresIn: 3600, scope: 'read' } });
        expect(parseTokenSet({ access_token: 'a', expires_in: 'soon' })).toEqual({ ok: true, value: { accessToken: 'a', refreshToken: undefined, expiresIn: undefined, scope: undefined } });
        expect(parseTokenSet({ error: 'invalid_grant' }).ok).toBe(false);
        expect(parseTokenSet({ access_token: '' }).ok).toBe(false);
    });

    test('parseProfile: sub or id, preferred_username first, names from parts', () => {
        expect(parseProfile({ sub: 7, preferred_username: 'ada', username: 'other', email: 'a@x.test', given_name: 'Ada', family_name: 'L', job_title: 'Analyst' })).toEqual({
            ok: true,
            value: { sub: '7', username: 'ada', email: 'a@x.test', emailVerified: false, name: 'Ada L', department: undefined, jobTitle: 'Analyst' },
        });
        // Verified only when the provider says so (DOT's usual userinfo says nothing).
        expect((parseProfile({ id: 'abc', email: 'a@x.test', email_verified: true }) as any).value.emailVerified).toBe(true);
        expect(parseProfile({ id: 'abc', email_verified: false }).ok && (parseProfile({ id: 'abc', email_verified: false }) as any).value.emailVerified).toBe(false);
        expect(parseProfile({ username: 'ada' }).ok).toBe(false);
    });

    test('classifyProbe tells invalid_client from a healthy refusal', () => {
        expect(classifyProbe(400, 'invalid_grant')).toBe('accepted');
        expect(classifyProbe(400, 'unsupported_grant_type')).toBe('accepted');
        expect(classifyProbe(401, 'invalid_client')).toBe('rejected');
        expect(classifyProbe(400, 'invalid_request')).toBe('unexpected');
        expect(classifyProbe(200, undefined)).toBe('unexpected');
        expect(classifyProbe(500, 'invalid_grant')).toBe('unexpected');
    });
});

describe('identityMatchesUser', () => {
    const user = { username: 'Ada', emails: [{ address: 'ada@work.test', verified: true }, { address: 'ada@home.test', verified: false }] } as IUser;
    const profile = (p: object) => ({ sub: '1', emailVerified: true, ...p });

    test('never by username alone (since 0.3: anyone can rename their chat account)', () => {
        expect(identityMatchesUser(profile({ username: ' ada ' }), user)).toBe(false);
    });

    test('by a verified user email when the HRM email is verified too', () => {
        expect(identityMatchesUser(profile({ username: 'someone', email: 'ADA@work.test' }), user)).toBe(true);
        expect(identityMatchesUser(profile({ username: 'someone', email: 'ada@work.test', emailVerified: false }), user)).toBe(false);
        // The user's unverified address proves nothing.
        expect(identityMatchesUser(profile({ username: 'someone', email: 'ada@home.test' }), user)).toBe(false);
    });

    test('no match, no empty-string match', () => {
        expect(identityMatchesUser(profile({ username: 'mallory', email: 'm@x.test' }), user)).toBe(false);
        expect(identityMatchesUser(profile({}), { username: '', emails: [{ address: '', verified: true }] } as unknown as IUser)).toBe(false);
    });
});

describe('time and encoding', () => {
    test('expiryFromExpiresIn and isExpired', () => {
        expect(expiryFromExpiresIn(60, 1000)).toBe(61_000);
        expect(expiryFromExpiresIn('60', 1000)).toBe(61_000);
        expect(expiryFromExpiresIn(undefined, 1000)).toBeUndefined();
        expect(expiryFromExpiresIn(-1, 1000)).toBeUndefined();
        expect(isExpired(undefined, 1000)).toBe(false);
        expect(isExpired(10_000, 4_000)).toBe(false);
        expect(isExpired(10_000, 5_000)).toBe(true);
    });

    test('form encoding and HTTP Basic as RFC 6749 §2.3.1 wants', () => {
        expect(formEncode({ grant_type: 'refresh_token', refresh_token: 'a b+c/d' })).toBe('grant_type=refresh_token&refresh_token=a+b%2Bc%2Fd');
        expect(basicAuthorization('id:1', 'p w')).toBe(`Basic ${Buffer.from('id%3A1:p+w').toString('base64')}`);
    });
});
