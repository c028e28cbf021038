/**
 * Attacks on the app's link, through the real Apps-Engine host against the real provider
 * (issue 9.C): a forged state, a callback without a code for someone else, a replayed
 * callback, and an identity "match" through an unverified email. Each must change nothing.
 */
import { AppHost } from '../support/apphost/AppHost';
import { introspect } from '../support/apphost/providerProbe';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';

const ADA = { username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: 'correct horse battery staple' };
const BOB = { username: 'bob', email: 'bob@example.test', name: 'Bob Builder', password: 'bob has a long passphrase' };
const MALLORY = { username: 'mallory', email: 'mallory@example.test', name: 'Mallory Mallet', password: 'another long passphrase' };
const DAVE = { username: 'dave', email: 'dave@example.test', name: 'Dave Victim', password: 'dave has a passphrase too' };
const NONCE = 'A'.repeat(43);

describe('attacks on the app link (real host, real provider)', () => {
    let provider: TestProvider;
    let host: AppHost;
    let appClient: { client_id: string; client_secret: string };
    let introspector: { client_id: string; client_secret: string };
    const kinds = (userId: string) => host.recordsOf(userId).map((r) => r.associations.find((a) => a.model === 'misc')?.id).sort();

    async function loginLink(userId: string): Promise<URL> {
        const [reply] = await host.command(host.user(userId), 'login');
        return new URL(reply.buttonUrls[0]);
    }

    /** An authorization URL the attacker builds himself, with any state he likes. */
    function attackerUrl(state: string): string {
        const url = new URL(`${provider.baseUrl}/o/authorize/`);
        url.search = new URLSearchParams({ response_type: 'code', client_id: appClient.client_id, redirect_uri: `${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`, state, scope: 'read write' }).toString();
        return url.href;
    }

    beforeAll(async () => {
        provider = await startTestProvider();
        host = await AppHost.start();
        host.addUser({ id: 'rc-ada', username: 'ada', email: ADA.email, name: ADA.name });
        host.addUser({ id: 'rc-bob', username: 'bob', email: BOB.email, name: BOB.name });
        // Mallory's chat account carries Dave's address, unverified (anyone can type it).
        host.addUser({ id: 'rc-mal', username: 'mal', email: DAVE.email, name: 'Mal', emailVerified: false });
        host.addUser({ id: 'rc-dave', username: 'dave.rc', email: DAVE.email, name: DAVE.name });
        appClient = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        introspector = await provider.createClient({ name: 'Resource server', redirectUris: ['https://rs.example.test/cb'], preset: 'generic' });
        for (const u of [ADA, BOB, MALLORY, DAVE]) {
            await provider.createUser(u);
        }
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', appClient.client_id);
        await host.setSetting('hrm-oauth-clientsecret', appClient.client_secret);
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('a replayed callback is refused before any code exchange: the link and its grant survive', async () => {
        const landing = await authorizeWithForms((await loginLink('rc-ada')).href, ADA);
        expect((await host.followRedirect(landing)).status).toBe(200);
        const linked = host.record('rc-ada', 'hrm-oauth-connection') as { token: string; refreshToken: string };
        const exchanges = host.bridges.http.calls.filter((c) => c.url === `${provider.baseUrl}/o/token/`).length;

        const replay = await host.followRedirect(landing);
        expect(replay.status).toBe(400);
        expect(String(replay.content)).toContain('HRM login link not valid');
        expect(host.record('rc-ada', 'hrm-oauth-connection')).toEqual(linked);
        // The provider never saw the code again (a code replay would revoke the grant).
        expect(host.bridges.http.calls.filter((c) => c.url === `${provider.baseUrl}/o/token/`).length).toBe(exchanges);
        expect((await introspect(provider.baseUrl, introspector, linked.token)).active).toBe(true);
        expect((await introspect(provider.baseUrl, introspector, linked.refreshToken)).active).toBe(true);
        expect(await host.say(host.user('rc-ada'), 'whoami')).toContain('*Username:* ada');
    });

    test('a callback without a code for someone else does not cancel their pending login', async () => {
        const bobsLink = await loginLink('rc-bob');
        for (const state of ['rc-bob', `rc-bob.${NONCE}`, `rc-bob.${bobsLink.searchParams.get('state')!.split('.')[1].slice(0, -1)}x`]) {
            const answer = await host.callApi('hrm-callback', { state, error: 'access_denied' });
            expect(answer.status).toBe(400);
        }
        expect(kinds('rc-bob')).toEqual(['hrm-pending-login']);
        // Bob's own link still completes.
        const landing = await authorizeWithForms(bobsLink.href, BOB);
        expect((await host.followRedirect(landing)).status).toBe(200);
        expect(kinds('rc-bob')).toEqual(['hrm-linked-identity', 'hrm-oauth-connection']);
        expect(await host.say(host.user('rc-bob'), 'logout')).toContain('revoked');
    });

    test('a forged state never links anyone, even with identity matching off', async () => {
        await host.setSetting('hrm-require-identity-match', false);
        try {
            await loginLink('rc-bob'); // Bob has a pending login whose nonce Mallory does not know.
            for (const state of ['rc-bob', `rc-bob.${NONCE}`]) {
                // Mallory authorizes with her own HRM account and hands Bob's browser the callback.
                const landing = await authorizeWithForms(attackerUrl(state), MALLORY);
                expect(landing.searchParams.get('code')).toEqual(expect.any(String));
                expect((await host.followRedirect(landing)).status).toBe(400);
            }
            expect(kinds('rc-bob')).toEqual(['hrm-pending-login']);
        } finally {
            await host.setSetting('hrm-require-identity-match', true);
        }
    });

    test('an unverified Rocket.Chat email matching the HRM email links nothing; a verified one does', async () => {
        const malLanding = await authorizeWithForms((await loginLink('rc-mal')).href, DAVE);
        const refused = await host.followRedirect(malLanding);
        expect(refused.status).toBe(500); // the app vetoed the engine's callback
        expect(host.recordsOf('rc-mal')).toEqual([]);
        const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-mal').pop();
        expect(notice?.text).toContain('does not match your Rocket.Chat account');

        // Control: the same HRM account and a verified address on Dave's own chat account.
        const daveLanding = await authorizeWithForms((await loginLink('rc-dave')).href, DAVE);
        expect((await host.followRedirect(daveLanding)).status).toBe(200);
        expect(kinds('rc-dave')).toEqual(['hrm-linked-identity', 'hrm-oauth-connection']);
    });
});
