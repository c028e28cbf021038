/**
 * The HR job at 5,000 linked users and 10 mapped channels in the in-process Apps-Engine 1.42.1
 * host, against the real provider (issue 19 B; the same scenario runs in the Deno subprocess
 * runtime of 1.62.0 in hr-scale-deno.test.ts; HRM_SCALE_USERS=500 runs both smaller while
 * developing). Every invocation stays under the 15 s budget, a full pass completes over as many
 * invocations as it needs, leavers are unlinked and deactivated, the report is posted; the figures
 * are printed (and kept in docs/hr-lifecycle.md).
 */
import { AppHost } from '../support/apphost/AppHost';
import { channelOf, DEPARTMENTS, describeFigures, runPass, ScalePeople, seedCompany, userId } from '../support/apphost/scale';
import { startTestProvider, TestProvider } from '../support/provider';

const USERS = Number(process.env.HRM_SCALE_USERS ?? 5000);
const BUDGET_MS = 15_000;

describe(`HR job at ${USERS} linked users (Apps-Engine 1.42.1, in process)`, () => {
    let provider: TestProvider;
    let host: AppHost;
    let people: ScalePeople;

    beforeAll(async () => {
        const t0 = Date.now();
        // One status request per 100 users; two passes within the limiter's window need more than the default 60.
        provider = await startTestProvider({ env: { HRM_STATUS_RATE_LIMIT: '1000' } });
        host = await AppHost.start();
        process.stdout.write(`setup: provider and host ${Date.now() - t0} ms\n`);
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
        const t1 = Date.now();
        people = await seedCompany(host, provider, USERS);
        process.stdout.write(`setup: ${USERS} users seeded in ${Date.now() - t1} ms\n`);
    }, 300_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('a full pass: every invocation under the budget, leavers unlinked and deactivated, everyone else in their channel, the report posted', async () => {
        const figures = await runPass(host, people);
        process.stdout.write(`${describeFigures('Apps-Engine 1.42.1 (in process)', figures)}\n`);
        process.stdout.write(`${(host.logs.dump().match(/HR job: invocation [^"]*/g) ?? []).join('\n')}\n`);
        for (const ms of figures.durationsMs) {
            expect(ms).toBeLessThan(BUDGET_MS);
        }
        expect(figures.report).toContain(`Checked ${USERS} · unlinked ${people.leavers.length} · deactivated ${people.leavers.length} · profiles updated ${USERS - people.leavers.length} · channel joins ${USERS - people.leavers.length} · failed 0`);
        expect(figures.report).toContain(`Pass over ${USERS} linked users in ${figures.invocations} invocation`);
        expect(figures.statusRequests).toBeGreaterThanOrEqual(USERS / 100);
        for (const id of people.leavers) {
            expect(host.record(id, 'hrm-linked-identity')).toBeUndefined();
            expect(host.user(id).isEnabled).toBe(false);
        }
        expect(host.bridges.users.deactivations.sort()).toEqual([...people.leavers].sort());
        const members = DEPARTMENTS.map((_, d) => host.bridges.rooms.memberIds(`room-${channelOf(d)}`).length);
        expect(members.reduce((a, b) => a + b, 0)).toBe(USERS - people.leavers.length);
        expect(host.bridges.rooms.memberIds(`room-${channelOf(3)}`)).toContain(userId(3));
        // Room members read once per channel per invocation, not once per user.
        expect(figures.byBridge['rooms.doGetMembers'] ?? 0).toBeLessThanOrEqual(DEPARTMENTS.length * figures.invocations);
    }, 300_000);

    test('the next pass with nothing to change: fewer calls per user, still under the budget', async () => {
        const figures = await runPass(host, people);
        process.stdout.write(`${describeFigures('Apps-Engine 1.42.1, second pass (nothing to change)', figures)}\n`);
        for (const ms of figures.durationsMs) {
            expect(ms).toBeLessThan(BUDGET_MS);
        }
        const linked = USERS - people.leavers.length;
        expect(figures.report).toContain(`Checked ${linked} · unlinked 0 · deactivated 0 · profiles updated 0 · channel joins 0 · failed 0`);
    }, 300_000);
});
