/**
 * Section 0 of the token-lifecycle issue, app side: concurrent commands of one user whose access
 * token has expired all refresh with the same refresh token. Whatever the provider does with the
 * losers (a grace window returning the same pair, or invalid_grant), the app re-reads its stored
 * tokens before it decides the link is dead: every command answers and the link stays.
 */
import { AppHost } from '../support/apphost/AppHost';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';

const ADA = { username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: 'correct horse battery staple' };

describe('concurrent refreshes of one link (real host, real provider)', () => {
    let provider: TestProvider;
    let host: AppHost;

    beforeAll(async () => {
        provider = await startTestProvider();
        host = await AppHost.start();
        host.addUser({ id: 'rc-ada', username: 'ada', email: ADA.email, name: ADA.name });
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        await provider.createUser(ADA);
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
        const [reply] = await host.command(host.user('rc-ada'), 'login');
        expect((await host.followRedirect(await authorizeWithForms(reply.buttonUrls[0], ADA))).status).toBe(200);
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('five concurrent /hrm whoami after expiry: all answer, the link stays', async () => {
        const [identity] = host.bridges.persistence.find(host.appId, [{ model: 'user', id: 'rc-ada' }, { model: 'misc', id: 'hrm-linked-identity' }]);
        identity.data = { ...(identity.data as object), accessTokenExpiresAt: Date.now() - 1000 };
        const refreshesBefore = host.bridges.http.calls.filter((c) => c.url.endsWith('/o/token/')).length;
        const before = host.bridges.messages.notifications.length;
        await Promise.all(Array.from({ length: 5 }, () => host.command(host.user('rc-ada'), 'whoami')));
        // They really raced: more than one refresh went out with the same refresh token.
        expect(host.bridges.http.calls.filter((c) => c.url.endsWith('/o/token/')).length - refreshesBefore).toBeGreaterThan(1);
        const replies = host.bridges.messages.notifications.slice(before).filter((n) => n.userId === 'rc-ada').map((n) => n.text);
        expect(replies).toHaveLength(5);
        for (const reply of replies) {
            expect(reply).toContain('*Username:* ada');
        }
        expect(await host.say(host.user('rc-ada'), 'whoami')).toContain('*Username:* ada');
        expect(host.record('rc-ada', 'hrm-oauth-connection')).toEqual(expect.objectContaining({ token: expect.any(String) }));
    }, 60_000);
});
