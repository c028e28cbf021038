/**
 * Bad input in the real Apps-Engine host: wrong subcommands, missing or malformed settings,
 * a provider answering HTML, garbage or nothing, dead tokens, a non-admin running check,
 * and the permissions the host enforces. Each case must give one clear sentence.
 */
import { AppHost } from '../support/apphost/AppHost';
import { FakeProvider, html, json, startFakeProvider } from '../support/apphost/fakeProvider';


describe('/hrm with bad input', () => {
    let host: AppHost;
    let fake: FakeProvider;
    const eve = () => host.user('rc-eve');

    beforeAll(async () => {
        fake = await startFakeProvider(() => html());
        host = await AppHost.start();
        host.addUser({ id: 'rc-eve', username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await fake?.stop();
    });

    describe('arguments', () => {
        test('no subcommand shows the help', async () => {
            const text = await host.say(eve(), '');
            expect(text).toContain('*HRM SSO*');
            for (const sub of ['login', 'logout', 'status', 'whoami', 'check', 'help']) {
                expect(text).toContain(`\`/hrm ${sub}`);
            }
        });

        test('an unknown subcommand gets the help, not silence', async () => {
            const replies = await host.command(eve(), 'signin');
            expect(replies).toHaveLength(1);
            expect(replies[0].text).toMatch(/^`\/hrm signin` is not a subcommand I know\.\n\*HRM SSO\*/);
        });

        test('extra arguments are refused with the usage of that subcommand', async () => {
            expect(await host.say(eve(), 'login now please')).toBe('`/hrm login` takes no arguments. Usage: `/hrm login` — link your Rocket.Chat account to your HRM account');
            expect(await host.say(eve(), 'help whoami')).toBe('`/hrm whoami` — show your HRM profile (name, username, email, department, job title)');
            expect(await host.say(eve(), 'help me now')).toContain('`/hrm help` takes at most one subcommand name.');
        });

        test('subcommands are case-insensitive', async () => {
            expect(await host.say(eve(), 'STATUS')).toBe('You are not linked to an HRM account: run /hrm login to connect it.');
        });

        test('replies are ephemeral, from the app user, in the room of the command', async () => {
            const [reply] = await host.command(eve(), 'help');
            expect(reply.roomId).toBe(host.room.id);
            expect(reply.senderUsername).toBe('hrm-sso.bot');
            expect(host.bridges.messages.created).toHaveLength(0);
        });
    });

    describe('settings', () => {
        test('missing settings: login and whoami say what an admin must fill in', async () => {
            const expected = "HRM SSO is not set up yet: a Rocket.Chat admin must fill in the HRM provider URL, client ID and client secret in the app's settings.";
            expect(await host.say(eve(), 'login')).toBe(expected);
            expect(await host.say(eve(), 'whoami')).toBe(expected);
            expect(host.recordsOf('rc-eve')).toEqual([]);
        });

        test('/hrm check lists the missing settings and still prints the redirect URI', async () => {
            const text = await host.say(host.adminUser, 'check');
            expect(text).toContain(':x: Missing settings: HRM provider URL, client ID, client secret.');
            expect(text).toContain('The provider was not contacted');
            expect(text).toContain(`Register this redirect URI for the app's client: ${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`);
        });

        test('/hrm check is refused politely to non-admins', async () => {
            const calls = host.bridges.http.calls.length;
            expect(await host.say(eve(), 'check')).toBe('Sorry, only Rocket.Chat admins can run /hrm check. Ask an admin if HRM SSO does not work for you.');
            expect(host.bridges.http.calls.length).toBe(calls);
        });

        test.each([
            ['hrm.example.com', 'the HRM provider URL is not a valid URL (expected something like https://hrm.example.com).'],
            ['ftp://hrm.example.com', 'the HRM provider URL must start with https:// (or http:// for local testing).'],
            ['https://user:pw@hrm.example.com', 'the HRM provider URL must not contain a user name, password, query or fragment.'],
        ])('a malformed provider URL (%s) is named in one sentence', async (value, problem) => {
            await host.setSetting('hrm-oauth-client-id', 'client-1');
            await host.setSetting('hrm-oauth-clientsecret', 'secret-1');
            await host.setSetting('hrm-provider-url', value);
            expect(await host.say(eve(), 'login')).toBe(`HRM SSO is misconfigured: ${problem} Ask a Rocket.Chat admin to fix the app's settings.`);
            expect(host.recordsOf('rc-eve')).toEqual([]);
        });

        test('a setting change takes effect without reinstalling', async () => {
            await host.setSetting('hrm-provider-url', 'https://hrm-one.example.test');
            const first = await host.command(eve(), 'login');
            expect(new URL(first[0].buttonUrls[0]).origin).toBe('https://hrm-one.example.test');
            await host.setSetting('hrm-provider-url', 'https://hrm-two.example.test/base/');
            await host.setSetting('hrm-authorize-path', 'oauth/authorize');
            await host.setSetting('hrm-scopes', 'profile, email');
            const second = new URL((await host.command(eve(), 'login'))[0].buttonUrls[0]);
            expect(second.origin + second.pathname).toBe('https://hrm-two.example.test/base/oauth/authorize');
            expect(second.searchParams.get('scope')).toBe('profile email');
            await host.setSetting('hrm-authorize-path', '');
            await host.setSetting('hrm-scopes', 'read write');
        });
    });

    describe('a provider that misbehaves', () => {
        beforeAll(async () => {
            await host.setSetting('hrm-provider-url', fake.baseUrl);
            await host.setSetting('hrm-oauth-client-id', 'client-1');
            await host.setSetting('hrm-oauth-clientsecret', 'secret-1');
        });

        beforeEach(() => {
            for (const r of host.recordsOf('rc-eve')) {
                host.bridges.persistence.records.splice(host.bridges.persistence.records.indexOf(r), 1);
            }
        });

        test('HTML instead of JSON: whoami and check say so in one sentence', async () => {
            fake.answer = () => html();
            host.seedLink('rc-eve', { token: 'at-1', refreshToken: 'rt-1', expiresInSeconds: 3600, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            expect(await host.say(eve(), 'whoami')).toBe(
                'Could not fetch your HRM profile: the HRM provider answered with a web page instead of JSON (HTTP 200): check the provider URL and paths.',
            );
            const check = await host.say(host.adminUser, 'check');
            expect(check).toContain(':x: Provider metadata');
            expect(check).toContain('answered with a web page instead of JSON');
            expect(check).toContain(':x: Testing the client credentials failed');
        });

        test('garbage instead of JSON', async () => {
            fake.answer = () => ({ status: 200, body: '}{ not json', contentType: 'application/json' });
            host.seedLink('rc-eve', { token: 'at-1', refreshToken: 'rt-1', expiresInSeconds: 3600, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            expect(await host.say(eve(), 'whoami')).toBe('Could not fetch your HRM profile: the HRM provider answered with something that is not JSON (HTTP 200).');
        });

        test('wrong client credentials are reported by /hrm check as invalid_client', async () => {
            fake.answer = (req) => (req.path === '/o/token/' ? json(401, { error: 'invalid_client', error_description: 'Client authentication failed.' }) : json(404, { error: 'not_found' }));
            const check = await host.say(host.adminUser, 'check');
            expect(check).toContain(':x: The provider rejects the client ID or secret (invalid_client (Client authentication failed.))');
            expect(check).not.toContain('secret-1');
        });

        test('a revoked token whose refresh token is dead ends the link with one sentence', async () => {
            fake.answer = (req) => (req.path === '/o/token/' ? json(400, { error: 'invalid_grant' }) : json(401, { error: 'invalid_token' }));
            host.seedLink('rc-eve', { token: 'at-1', refreshToken: 'rt-1', expiresInSeconds: 3600, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            expect(await host.say(eve(), 'whoami')).toBe('Your HRM session has expired or was revoked: run /hrm login to connect again.');
            expect(host.recordsOf('rc-eve')).toEqual([]);
            const refresh = fake.requests.filter((r) => r.path === '/o/token/').pop();
            expect(refresh?.authorization).toBe(`Basic ${Buffer.from('client-1:secret-1').toString('base64')}`);
        });

        test('a refresh lost to another instance keeps the link and uses the pair that instance stored', async () => {
            host.seedLink('rc-eve', { token: 'at-1', refreshToken: 'rt-1', expiresInSeconds: 3600, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            fake.answer = (req) => {
                if (req.path === '/o/token/') {
                    // Another Rocket.Chat instance won the race with rt-1 and stored its new pair.
                    const [stored] = host.bridges.persistence.find(host.appId, [{ model: 'user', id: 'rc-eve' }, { model: 'misc', id: 'hrm-oauth-connection' }]);
                    stored.data = { ...(stored.data as object), token: 'at-2', refreshToken: 'rt-2' };
                    return json(400, { error: 'invalid_grant' });
                }
                return req.authorization === 'Bearer at-2' ? json(200, { sub: 's-eve', username: 'eve', email: 'eve@example.test', name: 'Eve Example' }) : json(403, {});
            };
            expect(await host.say(eve(), 'whoami')).toContain('*Username:* eve');
            expect(host.record('rc-eve', 'hrm-oauth-connection')).toEqual(expect.objectContaining({ token: 'at-2', refreshToken: 'rt-2' }));
            expect(host.record('rc-eve', 'hrm-linked-identity')).toEqual(expect.objectContaining({ username: 'eve' }));
        });

        test('a code exchange answered with HTML, a 5xx or nothing links nothing and says why', async () => {
            const cases: Array<[() => ReturnType<typeof html> | 'hang' | ReturnType<typeof json>, string]> = [
                [() => html(), 'answered the code exchange with something that is not JSON (HTTP 200): check the token path.'],
                [() => json(502, { error: 'bad_gateway' }), 'failed to exchange the code (HTTP 502).'],
            ];
            for (const [answer, sentence] of cases) {
                fake.answer = (req) => (req.path === '/o/token/' ? answer() : json(404, {}));
                const [link] = await host.command(eve(), 'login');
                const state = new URL(link.buttonUrls[0]).searchParams.get('state')!;
                const response = await host.callApi('hrm-callback', { code: 'a-code', state });
                expect(response.status).toBe(500);
                expect(host.recordsOf('rc-eve')).toEqual([]);
                const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-eve').pop();
                expect(notice?.text).toContain(sentence);
                // The exchange went out with HTTP Basic, never with the secret in the URL.
                const exchange = fake.requests.filter((r) => r.path === '/o/token/').pop();
                expect(exchange?.authorization).toBe(`Basic ${Buffer.from('client-1:secret-1').toString('base64')}`);
            }
        });

        test('an expired token without a refresh token asks to log in again', async () => {
            host.seedLink('rc-eve', { token: 'at-1', expiresInSeconds: 0, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            expect(await host.say(eve(), 'whoami')).toBe('Your HRM access has expired and cannot be renewed: run /hrm login to connect again.');
        });

        test('a provider that never answers is abandoned after the bounded timeout', async () => {
            fake.answer = () => 'hang';
            host.seedLink('rc-eve', { token: 'at-1', refreshToken: 'rt-1', expiresInSeconds: 3600, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            const started = Date.now();
            expect(await host.say(eve(), 'whoami')).toBe('Could not fetch your HRM profile: the HRM provider did not answer within 10 seconds.');
            expect(Date.now() - started).toBeLessThan(15_000);
        }, 30_000);

        test('logout against a provider that refuses revocation still forgets the link', async () => {
            fake.answer = () => json(503, { error: 'temporarily_unavailable' });
            host.seedLink('rc-eve', { token: 'at-1', refreshToken: 'rt-1', expiresInSeconds: 3600, username: 'eve', email: 'eve@example.test', name: 'Eve Example' });
            expect(await host.say(eve(), 'logout')).toBe(
                'Unlinked from Eve Example (eve, eve@example.test) in Rocket.Chat, but revoking the access at HRM failed (The HRM provider refused to revoke the token (temporarily_unavailable)); it stays valid at HRM until it expires.',
            );
            expect(host.recordsOf('rc-eve')).toEqual([]);
        });

        test('a callback without code or with a foreign state stores nothing and throws nothing at the host', async () => {
            const nonce = 'A'.repeat(43);
            for (const query of <Array<Record<string, string>>>[{ state: 'rc-eve' }, { code: 'x', state: 'no-such-user' }, {}, { code: 'x', state: `no-such-user.${nonce}` }, { code: 'x', state: `rc-eve.${nonce}` }, { state: 'x'.repeat(5000) }]) {
                const response = await host.callApi('hrm-callback', query);
                expect(response.status).toBe(400);
                expect(String(response.content)).toContain('HRM login link not valid');
            }
            expect(host.recordsOf('rc-eve')).toEqual([]);
        });
    });
});

describe('permissions are enforced by the host', () => {
    test('without the networking permission the app cannot reach the provider and says why', async () => {
        const fake = await startFakeProvider(() => json(200, { issuer: 'x' }));
        const manifest = require('../../app.json') as { permissions: Array<{ name: string }> };
        const host = await AppHost.start({ permissions: manifest.permissions.filter((p) => p.name !== 'networking') });
        const engineErrors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        try {
            expect(process.env.NODE_ENV).toBe('production');
            await host.setSetting('hrm-provider-url', fake.baseUrl);
            await host.setSetting('hrm-oauth-client-id', 'client-1');
            await host.setSetting('hrm-oauth-clientsecret', 'secret-1');
            const text = await host.say(host.adminUser, 'check');
            expect(text).toContain('HRM SSO is not allowed to make network requests: an admin must grant the app its networking permission.');
            expect(host.bridges.http.calls).toEqual([]);
            expect(fake.requests).toEqual([]);
            expect(engineErrors.mock.calls.map((c) => String(c[0]))).toEqual(expect.arrayContaining([expect.stringContaining('lacks the following permissions')]));
        } finally {
            engineErrors.mockRestore();
            await host.stop();
            await fake.stop();
        }
        expect(process.env.NODE_ENV).toBe('test');
    });
});
