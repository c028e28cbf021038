/**
 * The HR job, profile sync, department channels and the colleague directory in the real
 * Apps-Engine 1.42.1 host, against this repository's provider on a real FerretDB. The job is
 * run through the engine's scheduler wrapper; the host's bridges record user updates,
 * deactivations, room joins and messages.
 */
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { AppHost } from '../support/apphost/AppHost';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { startTestProvider, TestProvider } from '../support/provider';
import { changeEmployment } from '../../provider/src/domain/hr/employment';
import { DelayProxy, startDelayProxy } from '../support/apphost/delayProxy';

const JOB = 'hrm-hr-job';
const pw = (u: string) => `${u}-long-password`;
const PEOPLE = [
    { id: 'rc-ada', username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', department: 'Engineering', jobTitle: 'Analyst' },
    { id: 'rc-leo', username: 'leo', email: 'leo@example.test', name: 'Leo Leaver', department: 'Sales', jobTitle: 'Account manager' },
    { id: 'rc-zoe', username: 'zoe', email: 'zoe@example.test', name: 'Zoe Zed', department: 'Engineering', jobTitle: 'Engineer' },
];

describe('HR lifecycle in the real Apps-Engine host', () => {
    let provider: TestProvider;
    let host: AppHost;
    let reports: ReturnType<AppHost['addRoom']>;
    let dev: ReturnType<AppHost['addRoom']>;

    const user = (id: string) => host.user(id);
    const linked = (id: string) => host.record(id, 'hrm-linked-identity') !== undefined && host.record(id, 'hrm-oauth-connection') !== undefined;
    const lastReport = () => host.bridges.messages.created.filter((m) => m.room?.id === reports.id).pop()?.text ?? '';
    const setEmployment = async (username: string, input: Parameters<typeof changeEmployment>[3]) => {
        const doc = (await provider.db.users.findOne({ username }))!;
        await changeEmployment(provider.db, provider.running.services.tokens, doc, input);
    };
    async function link(u: IUser) {
        const replies = await host.command(u, 'login');
        const landing = await authorizeWithForms(replies[0].buttonUrls[0], { username: u.username, password: pw(u.username) });
        const response = await host.followRedirect(landing);
        expect(response.status).toBe(200);
    }

    beforeAll(async () => {
        provider = await startTestProvider({ env: { HRM_DIRECTORY_PAGE_SIZE: '2' } });
        host = await AppHost.start();
        for (const p of PEOPLE) {
            host.addUser(p);
            await provider.createUser({ ...p, password: pw(p.username) });
        }
        await provider.createUser({ username: 'boss', email: 'boss@example.test', name: 'Grace Boss', password: pw('boss'), department: 'Engineering', jobTitle: 'CTO' });
        await setEmployment('ada', { manager: 'boss', employeeNumber: 'E-042', pictureUrl: 'https://photos.example.test/ada.jpg' });
        reports = host.addRoom('hr-reports');
        dev = host.addRoom('dev');
        const redirectUri = `${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`;
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [redirectUri], preset: 'rocketchat-app' });
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
        await host.setSetting('hrm-scopes', 'read write hrm');
        await host.setSetting('hrm-offboarding-report-room', 'hr-reports');
        await host.setSetting('hrm-department-channels', '{"engineering": ["dev", "no-such-channel"]}');
        // Ada already has a custom field from elsewhere: sync must keep it.
        host.bridges.users.add({ ...user('rc-ada'), customFields: { favouriteColour: 'blue' } });
        for (const p of PEOPLE) {
            await link(user(p.id));
        }
    }, 240_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('the job is a scheduler processor (plus its one-time continuation), scheduled hourly by default and rescheduled when the setting changes', async () => {
        expect([...host.bridges.scheduler.processors.keys()]).toEqual([`${JOB}_${host.appId}`, `${JOB}-continue_${host.appId}`]);
        expect(host.bridges.scheduler.recurring.get(`${JOB}_${host.appId}`)).toMatchObject({ interval: '60 minutes', skipImmediate: true });
        await host.setSetting('hrm-offboarding-interval-minutes', 15);
        expect(host.bridges.scheduler.recurring.get(`${JOB}_${host.appId}`)).toMatchObject({ interval: '15 minutes' });
    });

    test('/hrm check says the HR job can use the status endpoint', async () => {
        expect(await host.say(host.adminUser, 'check')).toContain(':white_check_mark: The HR status endpoint answers: the HR job can check leavers');
    });

    test('linking synced the HR profile into custom fields (merged) and joined the department channel', () => {
        expect(user('rc-ada').customFields).toEqual({
            favouriteColour: 'blue',
            hrmDepartment: 'Engineering',
            hrmJobTitle: 'Analyst',
            hrmManager: 'Grace Boss (@boss)',
            hrmEmployeeNumber: 'E-042',
        });
        expect(user('rc-leo').customFields).toEqual({ hrmDepartment: 'Sales', hrmJobTitle: 'Account manager' });
        expect(host.bridges.rooms.memberIds(dev.id).sort()).toEqual(['rc-ada', 'rc-zoe']);
    });

    test('a run reports checks and bad channel mappings in the report room, and changes nothing that is already right', async () => {
        const updatesBefore = host.bridges.users.updates.length;
        await host.runJob(JOB);
        const text = lastReport();
        expect(text).toContain('Checked 3 · unlinked 0 · deactivated 0 · profiles updated 0 · channel joins 0 · failed 0');
        expect(text).toContain('@ada: channel #no-such-channel does not exist');
        expect(host.bridges.users.updates.length).toBe(updatesBefore);
        expect(host.logs.dump()).toContain('Checked 3');
    });

    test('on leave: "On leave until …" status text, restored when the leave ends', async () => {
        host.bridges.users.add({ ...user('rc-zoe'), statusText: 'Coding' });
        await setEmployment('zoe', { status: 'on_leave', leaveUntil: '2099-01-31' });
        await host.runJob(JOB);
        expect(user('rc-zoe').statusText).toBe('On leave until 2099-01-31');
        expect(lastReport()).toContain('profiles updated 1');
        await setEmployment('zoe', { status: 'active' });
        await host.runJob(JOB);
        expect(user('rc-zoe').statusText).toBe('Coding');
    });

    test('dry run: reports who would be unlinked and changes nothing', async () => {
        await setEmployment('leo', { status: 'left' });
        await host.setSetting('hrm-offboarding-dry-run', true);
        await host.setSetting('hrm-offboarding-deactivate', true);
        await host.runJob(JOB);
        expect(lastReport()).toContain('dry run: nothing was changed');
        expect(lastReport()).toContain('would unlink @leo (left)');
        expect(linked('rc-leo')).toBe(true);
        expect(host.bridges.users.deactivations).toEqual([]);
        await host.setSetting('hrm-offboarding-dry-run', false);
    });

    test('provider down: nothing changes, the summary says it will try next run', async () => {
        await host.setSetting('hrm-provider-url', 'http://127.0.0.1:9');
        await host.runJob(JOB);
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        expect(lastReport()).toMatch(/could not be reached\. Nothing was changed; the job tries again at its next run\./);
        expect(linked('rc-leo')).toBe(true);
        expect(host.bridges.users.deactivations).toEqual([]);
    });

    test('a leaver is unlinked and deactivated in one run; one failing user blocks no one else', async () => {
        host.bridges.users.failUpdatesFor.add('rc-zoe');
        await setEmployment('zoe', { status: 'on_leave', leaveUntil: '2099-02-01' });
        await host.runJob(JOB);
        host.bridges.users.failUpdatesFor.delete('rc-zoe');
        expect(linked('rc-leo')).toBe(false);
        expect(host.recordsOf('rc-leo')).toEqual([]);
        expect(host.bridges.users.deactivations).toEqual(['rc-leo']);
        expect(user('rc-leo').isEnabled).toBe(false);
        const text = lastReport();
        expect(text).toContain('Checked 3 · unlinked 1 · deactivated 1');
        expect(text).toContain('failed 1');
        expect(text).toContain('@zoe: simulated database error');
        expect(linked('rc-ada')).toBe(true);
        expect(linked('rc-zoe')).toBe(true);
    });

    test('re-running is idempotent: nobody is unlinked or deactivated twice', async () => {
        await host.runJob(JOB);
        expect(lastReport()).toContain('Checked 2 · unlinked 0 · deactivated 0');
        expect(host.bridges.users.deactivations).toEqual(['rc-leo']);
    });

    test('/hrm who shows a linked colleague\'s card with photo; unlinked and unknown users get one clear sentence', async () => {
        const [card] = await host.command(user('rc-zoe'), 'who @ada');
        expect(card.text).toBe('*Ada Lovelace* (@ada)\nAnalyst · Engineering\nManager: Grace Boss (@boss)');
        expect(card.blockText).toContain('https://photos.example.test/ada.jpg');
        expect(await host.say(user('rc-ada'), 'who @zoe')).toContain('On leave until 2099-02-01');
        expect(await host.say(user('rc-ada'), 'who @leo')).toBe('@leo has not linked an HRM account, so there is no HRM card for them.');
        expect(await host.say(user('rc-ada'), 'who @nobody')).toBe('There is no Rocket.Chat user @nobody.');
        expect(await host.say(user('rc-ada'), 'who')).toBe('Usage: `/hrm who @username`');
        expect(await host.say(user('rc-leo'), 'who @ada')).toMatch(/not linked an HRM account yet/);
    });

    test('/hrm who with a triggerId opens the card as a modal: photo, name, title, department, manager, employment', async () => {
        const before = host.bridges.ui.opened.length;
        const replies = await host.command(user('rc-zoe'), 'who @ada', { triggerId: 'trigger-who' });
        expect(replies).toEqual([]);
        const opened = host.bridges.ui.opened.slice(before);
        expect(opened).toHaveLength(1);
        const [modal] = opened;
        expect(modal).toMatchObject({ userId: 'rc-zoe', appId: host.appId, type: 'modal.open', triggerId: 'trigger-who' });
        expect(modal.view).toMatchObject({ id: 'hrm-colleague-card', type: 'modal', title: { type: 'plain_text', text: 'HRM profile: Ada Lovelace' }, close: { type: 'button', text: { text: 'Close' } } });
        expect(modal.view!.submit).toBeUndefined();
        expect(modal.view!.blocks[0]).toMatchObject({ type: 'image', imageUrl: 'https://photos.example.test/ada.jpg', altText: 'Photo of Ada Lovelace', appId: host.appId });
        expect(modal.imageUrls).toEqual(['https://photos.example.test/ada.jpg']);
        expect(modal.text).toContain('*Ada Lovelace* (@ada)');
        expect(modal.text).toContain('*Job title*\nAnalyst');
        expect(modal.text).toContain('*Department*\nEngineering');
        expect(modal.text).toContain('*Manager*\nGrace Boss (@boss)');
        expect(modal.text).toContain('*Employment*\nActive');
        // Only what the provider returned: Zoe has no photo and no manager, and is on leave.
        await host.command(user('rc-ada'), 'who @zoe', { triggerId: 'trigger-zoe' });
        const zoe = host.bridges.ui.opened[host.bridges.ui.opened.length - 1];
        expect(zoe).toMatchObject({ userId: 'rc-ada', triggerId: 'trigger-zoe' });
        expect(zoe.imageUrls).toEqual([]);
        expect(zoe.view!.blocks.map((b) => b.type)).toEqual(['section', 'section']);
        expect(zoe.text).toContain('*Employment*\nOn leave until 2099-02-01');
        expect(zoe.text).not.toContain('Manager');
    });

    test('/hrm who: an unlinked or unknown colleague gets one sentence and no modal; no triggerId or a refused modal falls back to the message', async () => {
        const before = host.bridges.ui.opened.length;
        expect((await host.command(user('rc-ada'), 'who @leo', { triggerId: 't-1' })).map((n) => n.text)).toEqual(['@leo has not linked an HRM account, so there is no HRM card for them.']);
        expect((await host.command(user('rc-ada'), 'who @nobody', { triggerId: 't-2' })).map((n) => n.text)).toEqual(['There is no Rocket.Chat user @nobody.']);
        const plain = await host.command(user('rc-zoe'), 'who @ada');
        expect(plain.map((n) => n.text)).toEqual(['*Ada Lovelace* (@ada)\nAnalyst · Engineering\nManager: Grace Boss (@boss)']);
        expect(host.bridges.ui.opened.length).toBe(before);
        host.bridges.ui.failNext = new Error('invalid triggerId');
        const fallback = await host.command(user('rc-zoe'), 'who @ada', { triggerId: 't-stale' });
        expect(fallback.map((n) => n.text)).toEqual(['*Ada Lovelace* (@ada)\nAnalyst · Engineering\nManager: Grace Boss (@boss)']);
        expect(fallback[0].blockText).toContain('https://photos.example.test/ada.jpg');
        expect(host.bridges.ui.opened.length).toBe(before);
        expect(host.logs.dump()).toContain('Could not open the HRM card for user rc-zoe, sending it as a message: Error: invalid triggerId');
    });

    test('/hrm find searches the directory, paged', async () => {
        const text = await host.say(user('rc-ada'), 'find analyst');
        expect(text).toBe('Found 1 person for "analyst" (page 1 of 1):\n• *Ada Lovelace* (@ada) — Analyst, Engineering');
        // Department matches too; leo left and is not listed.
        const first = await host.say(user('rc-ada'), 'find engineering');
        expect(first).toBe('Found 3 people for "engineering" (page 1 of 2):\n• *Ada Lovelace* (@ada) — Analyst, Engineering\n• *Grace Boss* (@boss) — CTO, Engineering\nMore: `/hrm find engineering --page 2`');
        expect(await host.say(user('rc-ada'), 'find engineering --page 2')).toBe('Found 3 people for "engineering" (page 2 of 2):\n• *Zoe Zed* (@zoe) — Engineer, Engineering');
        expect(await host.say(user('rc-ada'), 'find sales')).toBe('Nobody in the HRM directory matches "sales".');
        expect(await host.say(user('rc-ada'), 'find zzz')).toBe('Nobody in the HRM directory matches "zzz".');
        expect(await host.say(user('rc-ada'), 'find e --page x')).toMatch(/^Usage: `\/hrm find/);
    });

    test('the "HRM profile" message action opens the author\'s card for whoever clicked it, with the click\'s triggerId', async () => {
        const buttons = host.manager.getUIActionButtonManager().getAllActionButtons();
        expect(buttons).toEqual(expect.arrayContaining([expect.objectContaining({ appId: host.appId, actionId: 'hrm-profile', context: 'messageAction', labelI18n: 'hrm-profile-button' })]));
        const before = host.bridges.messages.notifications.length;
        const modalsBefore = host.bridges.ui.opened.length;
        // As Rocket.Chat delivers a click: the IUIKitInteractionHandler listener with the interaction payload.
        await host.manager.getListenerManager().executeListener(AppInterface.IUIKitInteractionHandler, {
            type: 'actionButton' as never,
            appId: host.appId,
            actionId: 'hrm-profile',
            triggerId: 'trigger-1',
            user: user('rc-zoe'),
            room: host.room,
            message: { id: 'msg-1', room: host.room, sender: user('rc-ada'), text: 'hello' },
            payload: { context: 'messageAction' },
        } as never);
        const sent = host.bridges.messages.notifications.slice(before).filter((n) => n.userId === 'rc-zoe');
        expect(sent).toEqual([]);
        const bars = host.bridges.ui.opened.slice(modalsBefore);
        expect(bars.map((b) => [b.userId, b.type, b.triggerId, b.view?.id])).toEqual([['rc-zoe', 'modal.open', 'trigger-1', 'hrm-colleague-card']]);
        expect(bars[0].text).toContain('*Ada Lovelace* (@ada)');
        expect(bars[0].imageUrls).toEqual(['https://photos.example.test/ada.jpg']);
    });

    test('a deactivation Rocket.Chat refuses (last owner of a room) is reported; the link is still removed', async () => {
        host.bridges.users.refuseDeactivation.set('rc-zoe', 'user-last-owner');
        await setEmployment('zoe', { status: 'left' });
        await host.runJob(JOB);
        expect(linked('rc-zoe')).toBe(false);
        expect(user('rc-zoe').isEnabled).toBe(true);
        expect(lastReport()).toContain('Checked 2 · unlinked 1 · deactivated 0');
        expect(lastReport()).toContain('@zoe was unlinked but not deactivated (user-last-owner): deactivate them by hand');
    });

    test('a department mapping that is not JSON is reported in the summary and blocks nothing else', async () => {
        await host.setSetting('hrm-department-channels', '{"engineering": ["dev"');
        await host.runJob(JOB);
        expect(lastReport()).toContain('Department channels skipped: the department → channel mapping is not valid JSON.');
        expect(lastReport()).toContain('Checked 1 · unlinked 0 · deactivated 0');
        expect(linked('rc-ada')).toBe(true);
    });
});

/**
 * The HR job at the engine's per-call limit (issue 19 A and its bad input): passes split into
 * invocations under the time budget, a cursor and a lease in persistence, and a provider that is
 * slow or stops answering mid-pass, through a pass-through proxy in front of the real provider.
 */
describe('HR job passes: budget, cursor, lease and bad input (real host, real provider behind a delaying proxy)', () => {
    let provider: TestProvider;
    let proxy: DelayProxy;
    let host: AppHost;
    let reports: ReturnType<AppHost['addRoom']>;
    const USERS = ['una', 'vic', 'wes'];
    const reportTexts = () => host.bridges.messages.created.filter((m) => m.room?.id === reports.id).map((m) => m.text ?? '');
    const linked = (id: string) => host.record(id, 'hrm-linked-identity') !== undefined;
    /** Runs one invocation the way the scheduler does and returns how long it took. */
    const timed = async (job = JOB) => {
        const started = Date.now();
        await host.runJob(job);
        return Date.now() - started;
    };

    beforeAll(async () => {
        provider = await startTestProvider();
        proxy = await startDelayProxy(provider.baseUrl);
        host = await AppHost.start();
        reports = host.addRoom('hr-reports');
        host.addRoom('dev');
        host.addRoom('sales-room');
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        for (const username of USERS) {
            const { id } = await provider.createUser({ username, email: `${username}@example.test`, name: username.toUpperCase(), password: pw(username), department: 'Engineering' });
            host.addUser({ id: `rc-${username}`, username, email: `${username}@example.test`, name: username.toUpperCase() });
            host.seedLink(`rc-${username}`, { token: `t-${username}`, expiresInSeconds: 3600, username, email: `${username}@example.test`, name: username.toUpperCase(), sub: id });
        }
        await host.setSetting('hrm-provider-url', proxy.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
        await host.setSetting('hrm-offboarding-report-room', 'hr-reports');
        await host.setSetting('hrm-offboarding-batch-size', 1);
        await host.setSetting('hrm-department-channels', '{"engineering": ["dev"], "sales": ["sales-room"]}');
    }, 120_000);

    afterAll(async () => {
        await host?.stop();
        await proxy?.stop();
        await provider?.stop();
    });

    test('a slow provider (5 s per status call): every invocation stays under the 15 s budget, the pass completes over two, the report is posted once', async () => {
        proxy.statusDelayMs = 5000;
        const before = reportTexts().length;
        const onceBefore = host.bridges.scheduler.once.length;
        const first = await timed();
        // Two batches of one user fit in 15 s; a third would not, so the invocation stops and schedules its continuation.
        expect(first).toBeLessThan(15_000);
        expect(reportTexts().length).toBe(before);
        expect(host.bridges.scheduler.once.slice(onceBefore)).toEqual([{ id: `hrm-hr-job-continue_${host.appId}`, when: '5 seconds' }]);
        expect(host.logs.dump()).toContain('2 of 3 linked users handled after 1 invocation(s)');
        const second = await timed('hrm-hr-job-continue');
        expect(second).toBeLessThan(15_000);
        const posted = reportTexts().slice(before);
        expect(posted).toHaveLength(1);
        expect(posted[0]).toContain('Checked 3 · unlinked 0 · deactivated 0 · profiles updated 3 · channel joins 3 · failed 0');
        expect(posted[0]).toContain('Pass over 3 linked users in 2 invocations (longest ');
        expect(host.bridges.rooms.memberIds('room-dev').sort()).toEqual(['rc-una', 'rc-vic', 'rc-wes']);
        proxy.statusDelayMs = 0;
    }, 60_000);

    test('a provider that stops answering mid-pass: a request the budget cut short waits for the next invocation; one that gets the whole budget and fails is reported; a user renamed meanwhile is handled under the new name; the pass finishes without redoing anyone', async () => {
        await host.setSetting('hrm-offboarding-slice-seconds', 3);
        host.deleteRoom('dev');
        host.addRoom('dev');
        proxy.statusCalls = 0;
        proxy.hangStatusCalls.add(2);
        proxy.hangStatusCalls.add(3);
        const before = reportTexts().length;
        const onceBefore = host.bridges.scheduler.once.length;
        // 1st invocation: una's batch answers, the next one hangs past what is left of the budget.
        expect(await timed()).toBeLessThan(3_000);
        expect(reportTexts().length).toBe(before);
        expect(host.bridges.scheduler.once.length).toBe(onceBefore + 1);
        expect(host.logs.dump()).toContain('a status request was cut short by the time budget');
        // 2nd invocation: its first request gets the whole budget and still no answer: reported.
        expect(await timed('hrm-hr-job-continue')).toBeLessThan(3_000);
        expect(reportTexts().slice(before)).toEqual(['*HRM job*\n:warning: The HRM provider did not answer within 2 seconds. 1 of 3 linked users were handled; the pass resumes with the rest at the job\'s next run.']);
        expect(host.bridges.rooms.memberIds('room-dev')).toEqual(['rc-una']);
        // Renamed in Rocket.Chat between two invocations of the same pass.
        host.bridges.users.add({ ...host.user('rc-vic'), username: 'victoria' });
        const additions = host.bridges.rooms.additions.length;
        // Quiet, the next invocation handles both remaining users within the 3 s slice; on a loaded
        // machine the slice may fit only one, and the pass goes on in a continuation. Either way the
        // pass ends with exactly one report, counting every invocation it took.
        let invocations = 2;
        let done: string[] = [];
        for (let i = 0; i < 4 && done.length === 0; i++) {
            await timed(i === 0 ? JOB : 'hrm-hr-job-continue');
            invocations++;
            done = reportTexts().slice(before + 1);
        }
        expect(done).toHaveLength(1);
        expect(done[0]).toContain('Checked 3 · unlinked 0');
        expect(done[0]).toContain('channel joins 3');
        expect(done[0]).toContain(`Pass over 3 linked users in ${invocations} invocations`);
        expect(done[0]).toContain('• Interrupted: The HRM provider did not answer within 2 seconds.');
        expect(host.bridges.rooms.additions.slice(additions).map((a) => a.usernames[0])).toEqual(['victoria', 'wes']);
        expect(host.bridges.rooms.memberIds('room-dev').sort()).toEqual(['rc-una', 'rc-vic', 'rc-wes']);
        proxy.hangStatusCalls.clear();
        await host.setSetting('hrm-offboarding-slice-seconds', 15);
    }, 60_000);

    test('one invocation at a time: a second one started while the first works is skipped, and nobody is handled twice', async () => {
        proxy.statusDelayMs = 700;
        const before = reportTexts().length;
        await Promise.all([host.runJob(JOB), host.runJob('hrm-hr-job-continue')]);
        expect(host.logs.dump()).toContain('another invocation is still working');
        const posted = reportTexts().slice(before);
        expect(posted).toHaveLength(1);
        expect(posted[0]).toContain('Checked 3 ·');
        proxy.statusDelayMs = 0;
    }, 30_000);

    test('the provider\'s rate limit (HTTP 429) mid-pass: no failure report, the continuation waits a minute, the pass completes', async () => {
        proxy.statusCalls = 0;
        proxy.limitStatusCalls.add(2);
        const before = reportTexts().length;
        const onceBefore = host.bridges.scheduler.once.length;
        await host.runJob(JOB);
        expect(reportTexts().length).toBe(before);
        expect(host.bridges.scheduler.once.slice(onceBefore)).toEqual([{ id: `hrm-hr-job-continue_${host.appId}`, when: '60 seconds' }]);
        expect(host.logs.dump()).toContain('rate-limited the status check (HTTP 429)');
        await host.runJob('hrm-hr-job-continue');
        const done = reportTexts().slice(before);
        expect(done).toHaveLength(1);
        expect(done[0]).toContain('Checked 3 · unlinked 0');
        expect(done[0]).not.toContain('Interrupted');
        proxy.limitStatusCalls.clear();
    });

    test('a channel deleted between runs is one line in the summary; the pass completes', async () => {
        host.deleteRoom('dev');
        await host.runJob(JOB);
        const text = reportTexts().pop() ?? '';
        expect(text).toContain('Checked 3 · unlinked 0');
        expect(text).toContain('@una: channel #dev does not exist');
        host.addRoom('dev');
    });

    test('a department move on an engine without removeUsersFromRoom (1.42) joins the new channel, keeps the old one and says why', async () => {
        await host.runJob(JOB); // back into #dev (recorded as the app's joins)
        expect(host.bridges.rooms.memberIds('room-dev')).toContain('rc-una');
        await provider.db.users.updateOne({ username: 'una' }, { $set: { department: 'Sales' } });
        await host.runJob(JOB);
        const text = reportTexts().pop() ?? '';
        expect(host.bridges.rooms.memberIds('room-sales-room')).toEqual(['rc-una']);
        expect(host.bridges.rooms.memberIds('room-dev')).toContain('rc-una');
        expect(text).toContain('Channels left after a department move 0 · kept 1 (this Rocket.Chat\'s Apps-Engine cannot remove channel members; it needs 1.52 or newer)');
    });

    test('a settings value of the wrong type is a line in the summary and the default is used', async () => {
        await host.setSetting('hrm-offboarding-batch-size', 'lots');
        await host.setSetting('hrm-offboarding-deactivate', 'yes please');
        await host.runJob(JOB);
        const text = reportTexts().pop() ?? '';
        expect(text).toContain('Checked 3 ·');
        expect(text).toContain('• The setting hrm-offboarding-batch-size holds "lots", not a whole number from 1 to 100: using 100.');
        expect(text).toContain('• The setting hrm-offboarding-deactivate holds "yes please", not true or false: using false.');
        expect(text).toContain('in 1 invocation');
        await host.setSetting('hrm-offboarding-batch-size', 1);
        await host.setSetting('hrm-offboarding-deactivate', false);
    });

    test('a leaver found mid-pass is unlinked; the others stay linked', async () => {
        await setLeft(provider, 'wes');
        await host.runJob(JOB);
        expect(linked('rc-wes')).toBe(false);
        expect(linked('rc-una')).toBe(true);
        expect(reportTexts().pop()).toContain('unlinked 1');
    });
});

async function setLeft(provider: TestProvider, username: string): Promise<void> {
    const doc = (await provider.db.users.findOne({ username }))!;
    await changeEmployment(provider.db, provider.running.services.tokens, doc, { status: 'left' });
}
