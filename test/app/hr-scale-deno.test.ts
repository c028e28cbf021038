/**
 * The same 5,000-user scenario as hr-scale.test.ts, with the app running out of process: in the
 * Deno subprocess runtime of Apps-Engine 1.62.0 (the newest npm release that ships it; Rocket.Chat
 * 7.x–8.7 run apps this way, and 8.8+ run them in a Node subprocess with the same RPC design).
 * Every accessor call is an RPC over stdio and every invocation is capped at 30 s by the engine.
 * Also checked here, where the engine has IModifyDeleter.removeUsersFromRoom: a department move
 * leaves the old channel, but never one the user joined on their own; and UI events get answers
 * (no methodNotFound). The test host's preparation (local jsr:@std equivalents, the missing
 * AppsEngineException, Deno's cache) is in test/support/apphost/deno/runtime.ts.
 */
import { useAppsEngine162 } from '../support/apphost/deno/useEngine162';
import type { ScalePeople } from '../support/apphost/scale';
import { startTestProvider, TestProvider } from '../support/provider';

const engine = useAppsEngine162();
// Required (not imported: imports run first) after the mapping above, so the host and its bridges are 1.62's.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { AppHost } = require('../support/apphost/AppHost') as typeof import('../support/apphost/AppHost');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { channelOf, DEPARTMENTS, describeFigures, runPass, seedCompany, userId, username } = require('../support/apphost/scale') as typeof import('../support/apphost/scale');

const USERS = Number(process.env.HRM_SCALE_USERS ?? 5000);
const BUDGET_MS = 15_000;

describe('HR job at 5,000 linked users (Apps-Engine 1.62.0, Deno subprocess)', () => {
    let provider: TestProvider;
    let host: import('../support/apphost/AppHost').AppHost;
    let people: ScalePeople;

    beforeAll(async () => {
        // One status request per 100 users; two passes within the limiter's window need more than the default 60.
        provider = await startTestProvider({ env: { HRM_STATUS_RATE_LIMIT: '1000' } });
        host = await AppHost.start({ tempFilePath: engine.tempDir });
        const client = await provider.createClient({ name: 'Rocket.Chat app', redirectUris: [`${host.siteUrl}/api/apps/public/${host.appId}/hrm-callback`], preset: 'rocketchat-app' });
        await host.setSetting('hrm-provider-url', provider.baseUrl);
        await host.setSetting('hrm-oauth-client-id', client.client_id);
        await host.setSetting('hrm-oauth-clientsecret', client.client_secret);
        people = await seedCompany(host, provider, USERS);
        // Someone who joined department 1's channel on their own, before the app ever ran.
        host.bridges.rooms.members.get(`room-${channelOf(1)}`)!.add(userId(11));
    }, 300_000);

    afterAll(async () => {
        await host?.stop();
        await provider?.stop();
    });

    test('a full pass: every invocation under the budget, leavers unlinked and deactivated, everyone else in their channel, the report posted', async () => {
        const figures = await runPass(host, people);
        process.stdout.write(`${describeFigures('Apps-Engine 1.62.0 (Deno subprocess)', figures)}\n`);
        process.stdout.write(`${(host.logs.dump().match(/HR job: invocation [^"]*/g) ?? []).join('\n')}\n`);
        for (const ms of figures.durationsMs) {
            expect(ms).toBeLessThan(BUDGET_MS);
        }
        const stayers = USERS - people.leavers.length;
        // User 11 was already in its channel: one join fewer.
        expect(figures.report).toContain(`Checked ${USERS} · unlinked ${people.leavers.length} · deactivated ${people.leavers.length} · profiles updated ${stayers} · channel joins ${stayers - 1} · failed 0`);
        expect(figures.report).toContain(`Pass over ${USERS} linked users in ${figures.invocations} invocation`);
        for (const id of people.leavers) {
            expect(host.record(id, 'hrm-linked-identity')).toBeUndefined();
            expect(host.user(id).isEnabled).toBe(false);
        }
        expect(host.bridges.users.deactivations.sort()).toEqual([...people.leavers].sort());
        const members = DEPARTMENTS.map((_, d) => host.bridges.rooms.memberIds(`room-${channelOf(d)}`).length);
        expect(members.reduce((a, b) => a + b, 0)).toBe(stayers);
        expect(figures.byBridge['rooms.doGetMembers'] ?? 0).toBeLessThanOrEqual(DEPARTMENTS.length * figures.invocations);
    }, 300_000);

    test('department moves: the old channel is left (removeUsersFromRoom, 1.52+), except by someone who had joined it on their own', async () => {
        // Users 1 and 21 (department 1, joined by the app) and 11 (in #dept-1 on their own) move to department 2.
        await provider.db.users.updateMany({ username: { $in: [username(1), username(11), username(21)] } }, { $set: { department: DEPARTMENTS[2] } });
        const removalsBefore = host.bridges.rooms.removals.length;
        const figures = await runPass(host, people);
        process.stdout.write(`${describeFigures('Apps-Engine 1.62.0, second pass (3 department moves)', figures)}\n`);
        for (const ms of figures.durationsMs) {
            expect(ms).toBeLessThan(BUDGET_MS);
        }
        expect(figures.report).toContain('channel joins 3');
        expect(figures.report).toContain('Channels left after a department move 2');
        expect(host.bridges.rooms.removals.slice(removalsBefore)).toEqual([
            { roomId: `room-${channelOf(1)}`, usernames: [username(1)] },
            { roomId: `room-${channelOf(1)}`, usernames: [username(21)] },
        ]);
        const dept1 = host.bridges.rooms.memberIds(`room-${channelOf(1)}`);
        expect(dept1).toContain(userId(11));
        expect(dept1).not.toContain(userId(1));
        expect(host.bridges.rooms.memberIds(`room-${channelOf(2)}`)).toEqual(expect.arrayContaining([userId(1), userId(11), userId(21)]));
    }, 300_000);

    test('UI events out of process: the card\'s close and submit, the link button and unknown ids all get an answer (no methodNotFound)', async () => {
        const ada = host.user(userId(3));
        for (const event of [
            { type: 'viewClosed' as const, viewId: 'hrm-colleague-card' },
            { type: 'viewSubmit' as const, viewId: 'hrm-colleague-card' },
            { type: 'blockAction' as const, actionId: 'hrm-open-link' },
            { type: 'blockAction' as const, actionId: 'unknown-action' },
            { type: 'viewSubmit' as const, viewId: 'unknown-view' },
        ]) {
            expect(await host.uiEvent({ ...event, user: ada, room: host.room })).toEqual({ success: true });
        }
        expect(host.logs.dump()).not.toMatch(/method ?not ?found/i);
    }, 60_000);
});
