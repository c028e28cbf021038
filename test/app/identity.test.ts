/**
 * Identity without usernames (issue 19 F), in the real Apps-Engine host against the real
 * provider: an equal chat username proves nothing any more (the rename attack), only a verified
 * equal email links; installs without verified chat emails can let an admin approve a pending
 * pair (/hrm approve, /hrm deny); links made before keep working.
 */
import { AppHost } from '../support/apphost/AppHost';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';

const ERIN = { username: 'erin', email: 'erin@example.test', name: 'Erin Employee', password: 'erin has a long passphrase' };
const FRANK = { username: 'frank', email: 'frank@example.test', name: 'Frank Unverified', password: 'frank has a long passphrase' };
const OLIVE = { username: 'olive', email: 'olive@hrm.example.test', name: 'Olive Oldlink', password: 'olive has a long passphrase' };

describe('identity: verified email or an admin-approved pair, never a username alone', () => {
    let provider: TestProvider;
    let host: AppHost;
    const kinds = (userId: string) => host.recordsOf(userId).map((r) => r.associations.find((a) => a.model === 'misc')?.id).sort();
    const lastNotice = (userId: string) => host.bridges.messages.notifications.filter((n) => n.userId === userId).pop()?.text;

    /** `userId` starts /hrm login; `as` authorizes it at the provider; the browser lands on the callback. */
    async function login(userId: string, as: { username: string; password: string }): Promise<number> {
        const [reply] = await host.command(host.user(userId), 'login');
        const landing = await authorizeWithForms(reply.buttonUrls[0], as);
        return (await host.followRedirect(landing)).status;
    }

    beforeAll(async () => {
        provider = await startTestProvider();
        host = await AppHost.start();
        // Eve renamed her chat account to her colleague Erin's username; her own address is verified.
        host.addUser({ id: 'rc-eve', username: 'erin', email: 'eve@example.test', name: 'Eve' });
        host.addUser({ id: 'rc-frank', username: 'frank', email: FRANK.email, name: FRANK.name, emailVerified: false });
        host.addUser({ id: 'rc-olive', username: 'olive', email: 'olive@chat.example.test', name: OLIVE.name });
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        for (const u of [ERIN, FRANK, OLIVE]) {
            await provider.createUser(u);
        }
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('a link made before (here with matching off) keeps working after the rule changed', async () => {
        await host.setSetting('hrm-require-identity-match', false);
        expect(await login('rc-olive', OLIVE)).toBe(200);
        await host.setSetting('hrm-require-identity-match', true);
        expect(await host.say(host.user('rc-olive'), 'whoami')).toContain('*Username:* olive');
        expect(await host.say(host.user('rc-olive'), 'status')).toMatch(/^Linked to HRM as Olive Oldlink/);
    });

    test('the rename attack: an equal chat username no longer links a colleague\'s HRM account', async () => {
        // Erin is tricked into clicking Allow on Eve's login link.
        expect(await login('rc-eve', ERIN)).toBe(500);
        expect(host.recordsOf('rc-eve')).toEqual([]);
        expect(lastNotice('rc-eve')).toBe(
            'The HRM account Erin Employee (erin, erin@example.test) does not match your Rocket.Chat account (a verified email of your Rocket.Chat account must be the HRM account\'s email), so nothing was linked.',
        );
    });

    test('an unverified chat email does not link; with admin approval on, the pair waits for an admin, who approves it; the next login links', async () => {
        expect(await login('rc-frank', FRANK)).toBe(500);
        expect(host.recordsOf('rc-frank')).toEqual([]);
        await host.setSetting('hrm-identity-admin-approval', true);
        expect(await login('rc-frank', FRANK)).toBe(500);
        expect(kinds('rc-frank')).toEqual(['hrm-pending-link']);
        expect(lastNotice('rc-frank')).toBe(
            'The HRM account Frank Unverified (frank, frank@example.test) does not match your Rocket.Chat account by verified email, so a Rocket.Chat admin must approve this link first (/hrm approve @frank). Nothing was linked yet: once it is approved, run /hrm login again.',
        );
        // Not an admin: refused, nothing changes.
        expect(await host.say(host.user('rc-frank'), 'approve @frank')).toBe('Sorry, only Rocket.Chat admins can approve or deny HRM links.');
        const list = await host.say(host.adminUser, 'approve');
        expect(list).toMatch(/^HRM links waiting for approval/);
        expect(list).toContain('• @frank → HRM account Frank Unverified (frank, frank@example.test), asked 20');
        expect(await host.say(host.adminUser, 'approve @frank')).toBe('Approved: @frank may now link to the HRM account Frank Unverified (frank, frank@example.test) with /hrm login (within 7 days).');
        expect(await login('rc-frank', FRANK)).toBe(200);
        expect(kinds('rc-frank')).toEqual(['hrm-linked-identity', 'hrm-oauth-connection']);
        expect(await host.say(host.adminUser, 'approve')).toBe('No HRM links are waiting for approval.');
    });

    test('the admin sees the mismatch and denies it: nothing is linked, now or at the next login', async () => {
        expect(await login('rc-eve', ERIN)).toBe(500);
        expect(await host.say(host.adminUser, 'approve')).toContain('• @erin → HRM account Erin Employee (erin, erin@example.test)');
        expect(await host.say(host.adminUser, 'deny @erin')).toBe('Refused: the HRM link of @erin to Erin Employee (erin, erin@example.test) will not be made.');
        expect(host.recordsOf('rc-eve')).toEqual([]);
        expect(await login('rc-eve', ERIN)).toBe(500);
        expect(kinds('rc-eve')).toEqual(['hrm-pending-link']);
        expect(await host.say(host.adminUser, 'deny @erin')).toContain('Refused');
    });

    test('bad input to /hrm approve and /hrm deny gets one clear sentence', async () => {
        expect(await host.say(host.adminUser, 'approve @nobody')).toBe('@nobody has no HRM link waiting for approval.');
        expect(await host.say(host.adminUser, 'deny')).toBe('Usage: `/hrm approve [@username]` or `/hrm deny @username`');
        expect(await host.say(host.adminUser, 'approve a b')).toBe('Usage: `/hrm approve [@username]` or `/hrm deny @username`');
        expect(await host.say(host.adminUser, 'approve <script>')).toBe('Usage: `/hrm approve [@username]` or `/hrm deny @username`');
    });
});
