/**
 * The whole journey in the real Apps-Engine 1.42.1 host, against this repository's provider
 * on a real FerretDB: login → consent → callback → whoami → expiry and refresh → logout with
 * revocation → forged callbacks store nothing → provider down.
 */
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppHost } from '../support/apphost/AppHost';
import { introspect, sleep } from '../support/apphost/providerProbe';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';

const TOKEN_SECONDS = 8;
const ENGINE_TOKEN = 'hrm-oauth-connection';
const IDENTITY = 'hrm-linked-identity';
const PENDING = 'hrm-pending-login';

const ADA = { username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: 'correct horse battery staple', department: 'Engineering', jobTitle: 'Analyst' };
const CAROL = { username: 'carol', email: 'carol@example.test', name: 'Carol Danvers', password: 'yet another passphrase' };
const MALLORY = { username: 'mallory', email: 'mallory@example.test', name: 'Mallory Mallet', password: 'another long passphrase' };

describe('HrmSsoApp in the real Apps-Engine host', () => {
    let provider: TestProvider;
    let providerStopped = false;
    let host: AppHost;
    let appClient: { client_id: string; client_secret: string };
    let introspector: { client_id: string; client_secret: string };
    const seenTokens = new Set<string>();

    const ada = () => host.user('rc-ada');
    const bob = () => host.user('rc-bob');
    const engineRecord = (userId: string) => host.record(userId, ENGINE_TOKEN) as { token?: string; refreshToken?: string; expiresAt?: unknown } | undefined;
    const remember = (userId: string) => {
        const rec = engineRecord(userId);
        for (const t of [rec?.token, rec?.refreshToken]) {
            if (t) {
                seenTokens.add(t);
            }
        }
        return rec;
    };

    /** /hrm login as `user`, then the provider's forms as `creds`; returns where the browser lands. */
    async function loginUrl(user: IUser): Promise<URL> {
        const replies = await host.command(user, 'login');
        expect(replies).toHaveLength(1);
        expect(replies[0].buttonUrls).toHaveLength(1);
        return new URL(replies[0].buttonUrls[0]);
    }

    async function link(user: IUser, creds: { username: string; password: string }) {
        const url = await loginUrl(user);
        const landing = await authorizeWithForms(url.href, creds);
        return host.followRedirect(landing);
    }

    beforeAll(async () => {
        provider = await startTestProvider({ env: { ACCESS_TOKEN_EXPIRE_SECONDS: String(TOKEN_SECONDS) } });
        host = await AppHost.start();
        host.addUser({ id: 'rc-ada', username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace' });
        host.addUser({ id: 'rc-bob', username: 'bob', email: 'bob@example.test', name: 'Bob Builder' });
        host.addUser({ id: 'rc-carol', username: 'carol', email: 'carol@example.test', name: 'Carol Danvers' });
        const redirectUri = `${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`;
        appClient = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [redirectUri], preset: 'rocketchat-app' });
        // Test-only: an 8-second access token (below the 60 s the store accepts) to watch expiry and refresh.
        await provider.db.clients.updateOne({ _id: appClient.client_id }, { $set: { accessTokenLifetime: TOKEN_SECONDS } });
        introspector = await provider.createClient({ name: 'Resource server', redirectUris: ['https://rs.example.test/cb'], preset: 'generic', allowIntrospection: true });
        await provider.createUser(ADA);
        await provider.createUser(MALLORY);
        await provider.createUser(CAROL);
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', appClient.client_id);
        await host.setSetting('hrm-oauth-clientsecret', appClient.client_secret);
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        if (!providerStopped) {
            await provider?.stop();
        }
    });

    test('the app is enabled with its command, its callback endpoint and its settings', () => {
        expect(host.bridges.commands.commands.get('hrm')?.enabled).toBe(true);
        expect([...host.bridges.apis.apis.keys()]).toEqual([`/api/apps/public/${host.appId}/hrm-callback`]);
        const settings = host.manager.getSettingsManager().getAppSettings(host.appId);
        expect(Object.keys(settings)).toEqual(
            expect.arrayContaining(['hrm-provider-url', 'hrm-oauth-client-id', 'hrm-oauth-clientsecret', 'hrm-authorize-path', 'hrm-token-path', 'hrm-revoke-path', 'hrm-userinfo-path', 'hrm-scopes', 'hrm-require-identity-match']),
        );
        expect(settings['hrm-require-identity-match'].packageValue).toBe(true);
        expect(settings['hrm-scopes'].packageValue).toBe('read write');
    });

    test('/hrm check (admin) sees a healthy provider and prints the redirect URI and preset', async () => {
        const text = await host.say(host.adminUser, 'check');
        expect(text).toContain('The provider is reachable and serves its metadata');
        expect(text).toContain('The client ID and secret are accepted');
        expect(text).toContain('sent as the login sends them (HTTP Basic, form body');
        expect(text).toContain(`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`);
        expect(text).toContain('`rocketchat-app`');
        expect(text).not.toContain(':x:');
        expect(text).not.toContain(appClient.client_secret);
    });

    test('/hrm login answers with a one-time link to the provider and records a pending login', async () => {
        const url = await loginUrl(ada());
        expect(url.origin + url.pathname).toBe(`${provider.baseUrl}/o/authorize/`);
        expect(url.searchParams.get('client_id')).toBe(appClient.client_id);
        expect(url.searchParams.get('state')).toMatch(/^rc-ada\.[A-Za-z0-9_-]{43}$/);
        expect(url.searchParams.get('scope')).toBe('read write');
        expect(url.searchParams.get('redirect_uri')).toBe(`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`);
        expect(host.record('rc-ada', PENDING)).toEqual(expect.objectContaining({ roomId: host.room.id }));
    });

    test('consent → callback links the account, stores the identity and tells the user', async () => {
        const before = Date.now();
        const response = await link(ada(), ADA);
        expect(response.status).toBe(200);
        expect(String(response.content)).toContain('HRM account linked');

        const rec = remember('rc-ada');
        expect(rec?.token).toEqual(expect.any(String));
        expect(rec?.refreshToken).toEqual(expect.any(String));
        const identity = host.record('rc-ada', IDENTITY);
        expect(identity).toEqual(expect.objectContaining({ username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', sub: expect.any(String) }));
        expect(identity.linkedAt).toBeGreaterThanOrEqual(before);
        // expires_in counts whole seconds left when the provider answers.
        expect(identity.accessTokenExpiresAt).toBeGreaterThanOrEqual(before + (TOKEN_SECONDS - 1) * 1000);
        expect(identity.accessTokenExpiresAt).toBeLessThanOrEqual(Date.now() + TOKEN_SECONDS * 1000);
        expect(host.record('rc-ada', PENDING)).toBeUndefined();

        const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-ada').pop();
        expect(notice?.text).toBe('Linked to HRM as Ada Lovelace (ada, ada@example.test).');
        expect(notice?.roomId).toBe(host.room.id);
    });

    test('a callback without the login nonce changes nothing, even with a fresh code', async () => {
        // A fresh code for Ada, with the engine's bare state (her user id) and no nonce.
        const url = new URL(`${provider.baseUrl}/o/authorize/`);
        url.search = new URLSearchParams({ response_type: 'code', client_id: appClient.client_id, redirect_uri: `${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`, state: 'rc-ada', scope: 'read write' }).toString();
        const tokenBefore = engineRecord('rc-ada')?.token;
        const landing = await authorizeWithForms(url.href, ADA);
        const response = await host.followRedirect(landing);
        expect(response.status).toBe(400);
        expect(String(response.content)).toContain('HRM login link not valid');
        expect(engineRecord('rc-ada')?.token).toBe(tokenBefore);
    });

    test('/hrm status and /hrm whoami show the link and the HRM profile', async () => {
        const status = await host.say(ada(), 'status');
        expect(status).toMatch(/^Linked to HRM as Ada Lovelace \(ada, ada@example\.test\) since \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
        expect(status).toContain('The access token expires in');

        const tokenBefore = engineRecord('rc-ada')?.token;
        const whoami = await host.say(ada(), 'whoami');
        expect(whoami).toContain('*Name:* Ada Lovelace');
        expect(whoami).toContain('*Username:* ada');
        expect(whoami).toContain('*Email:* ada@example.test');
        expect(whoami).toContain('*Department:* Engineering');
        expect(whoami).toContain('*Job title:* Analyst');
        expect(engineRecord('rc-ada')?.token).toBe(tokenBefore); // still valid: no refresh
    });

    test('an expired access token is refreshed transparently (local expiry)', async () => {
        const before = remember('rc-ada');
        await sleep(TOKEN_SECONDS * 1000 + 500);
        expect(await host.say(ada(), 'status')).toContain('The access token expired');
        const whoami = await host.say(ada(), 'whoami');
        expect(whoami).toContain('*Name:* Ada Lovelace');
        const after = remember('rc-ada');
        expect(after?.token).not.toBe(before?.token);
        expect(after?.refreshToken).not.toBe(before?.refreshToken); // rotated
        // The engine's shape: expiresAt holds the raw expires_in seconds.
        expect(after?.expiresAt).toBeGreaterThanOrEqual(TOKEN_SECONDS - 1);
        expect(after?.expiresAt).toBeLessThanOrEqual(TOKEN_SECONDS);
        expect(host.record('rc-ada', IDENTITY).accessTokenExpiresAt).toBeGreaterThan(Date.now());
        expect((await introspect(provider.baseUrl, introspector, before!.refreshToken!)).active).toBe(false);
    }, 60_000);

    test('a token the provider rejects with 401 is refreshed once and the call retried', async () => {
        const before = remember('rc-ada');
        await sleep(TOKEN_SECONDS * 1000 + 500);
        // Our record still believes the token is valid (as with clock skew): only the 401 tells.
        const identity = host.record('rc-ada', IDENTITY);
        const [stored] = host.bridges.persistence.find(host.appId, [{ model: 'user', id: 'rc-ada' }, { model: 'misc', id: IDENTITY }]);
        stored.data = { ...identity, accessTokenExpiresAt: Date.now() + 3_600_000 };
        const whoami = await host.say(ada(), 'whoami');
        expect(whoami).toContain('*Username:* ada');
        expect(remember('rc-ada')?.token).not.toBe(before?.token);
        const httpCalls = host.bridges.http.calls.slice(-3).map((c) => c.url);
        expect(httpCalls).toEqual([`${provider.baseUrl}/api/v2/o/userinfo/`, `${provider.baseUrl}/o/token/`, `${provider.baseUrl}/api/v2/o/userinfo/`]);
    }, 60_000);

    test('/hrm logout revokes at the provider (introspection says inactive) and forgets the link', async () => {
        const rec = remember('rc-ada')!;
        expect((await introspect(provider.baseUrl, introspector, rec.token!)).active).toBe(true);
        const text = await host.say(ada(), 'logout');
        expect(text).toBe("Unlinked from Ada Lovelace (ada, ada@example.test): the app's access to your HRM account was revoked.");
        expect((await introspect(provider.baseUrl, introspector, rec.token!)).active).toBe(false);
        expect((await introspect(provider.baseUrl, introspector, rec.refreshToken!)).active).toBe(false);
        expect(host.recordsOf('rc-ada')).toEqual([]);
        expect(await host.say(ada(), 'status')).toBe('You are not linked to an HRM account: run /hrm login to connect it.');
        expect(await host.say(ada(), 'logout')).toBe('You are not linked to an HRM account, so there is nothing to log out from.');
    });

    test('a callback carrying another user\'s state links nothing (identity mismatch)', async () => {
        const bobsUrl = await loginUrl(bob()); // Bob has a pending login…
        expect(bobsUrl.searchParams.get('state')).toMatch(/^rc-bob\./);
        // …and Mallory authorizes Bob's link with her own HRM account.
        const landing = await authorizeWithForms(bobsUrl.href, MALLORY);
        expect(landing.searchParams.get('state')).toBe(bobsUrl.searchParams.get('state'));
        const response = await host.followRedirect(landing);
        expect(response.status).toBe(500);
        expect(host.recordsOf('rc-bob')).toEqual([]);
        const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-bob').pop();
        expect(notice?.text).toBe('The HRM account Mallory Mallet (mallory, mallory@example.test) does not match your Rocket.Chat account (a verified email of your Rocket.Chat account must be the HRM account\'s email), so nothing was linked.');
    });

    test('a callback for a user who started no login links nothing', async () => {
        const url = new URL(`${provider.baseUrl}/o/authorize/`);
        url.search = new URLSearchParams({ response_type: 'code', client_id: appClient.client_id, redirect_uri: `${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`, state: 'rc-bob', scope: 'read write' }).toString();
        const notificationsBefore = host.bridges.messages.notifications.length;
        const response = await host.followRedirect(await authorizeWithForms(url.href, MALLORY));
        expect(response.status).toBe(400);
        expect(host.recordsOf('rc-bob')).toEqual([]);
        expect(host.bridges.messages.notifications.length).toBe(notificationsBefore);
    });

    test('a callback whose code the token endpoint refuses links nothing', async () => {
        const url = await loginUrl(ada());
        const response = await host.callApi('hrm-callback', { code: 'forged-code', state: url.searchParams.get('state')! });
        expect(response.status).toBe(500);
        expect(host.recordsOf('rc-ada')).toEqual([]); // the pending login is consumed too
        const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-ada').pop();
        expect(notice?.text).toBe('HRM did not issue a token for this login (the authorization code was refused): run /hrm login to try again.');
    });

    test('a callback without a code (consent refused) links nothing and says so', async () => {
        const url = await loginUrl(host.user('rc-carol'));
        const landing = await authorizeWithForms(url.href, CAROL, { cancel: true });
        expect(landing.searchParams.get('code')).toBeNull();
        expect(landing.searchParams.get('error')).toBe('access_denied');
        const response = await host.followRedirect(landing);
        expect(response.status).toBe(401);
        expect(String(response.content)).toContain('HRM login cancelled');
        expect(host.recordsOf('rc-carol')).toEqual([]);
        const notice = host.bridges.messages.notifications.filter((n) => n.userId === 'rc-carol').pop();
        expect(notice?.text).toBe('HRM login cancelled: no HRM account was linked. Run /hrm login to try again.');
    });

    test('no token, secret or refresh token ever reaches the app logs or chat messages', () => {
        const logs = host.logs.dump();
        const messages = JSON.stringify(host.bridges.messages.notifications.map((n) => n.raw));
        expect(seenTokens.size).toBeGreaterThanOrEqual(4);
        for (const secret of [appClient.client_secret, ...seenTokens]) {
            expect(logs).not.toContain(secret);
            expect(messages).not.toContain(secret);
        }
    });

    test('with the provider down, whoami says so in one sentence and logout still forgets the link', async () => {
        const response = await link(ada(), ADA);
        expect(response.status).toBe(200);
        await provider.stop();
        providerStopped = true;
        expect(await host.say(ada(), 'whoami')).toBe('Could not fetch your HRM profile: the HRM provider could not be reached.');
        const logout = await host.say(ada(), 'logout');
        expect(logout).toBe(
            'Unlinked from Ada Lovelace (ada, ada@example.test) in Rocket.Chat, but revoking the access at HRM failed (The HRM provider could not be reached); it stays valid at HRM until it expires.',
        );
        expect(host.recordsOf('rc-ada')).toEqual([]);
    }, 60_000);
});
