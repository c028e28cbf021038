/**
 * The HR job at a company's size, for the scale tests of both hosts (1.42.1 in process, 1.62 in
 * its Deno subprocess): N linked users (1 % of them leavers) in 10 departments, each mapped to
 * its own channel, against the real provider on its real FerretDB. The provider's users are
 * inserted in one insertMany (cloning one user the provider created, password hash included);
 * the chat side seeds users and the records a login leaves. `runPass` then runs the job as
 * Rocket.Chat's scheduler would (the recurring run, then each continuation the app scheduled)
 * and measures every invocation.
 */
import { randomUUID } from 'crypto';
import { AppHost } from './AppHost';
import { CallCounter, countBridgeCalls } from './bridges/counting';
import { chatUser } from './bridges/users';
import type { TestProvider } from '../provider';

export const JOB = 'hrm-hr-job';
export const CONTINUE = 'hrm-hr-job-continue';
export const DEPARTMENTS = Array.from({ length: 10 }, (_, i) => `Department ${i}`);
export const channelOf = (department: number) => `dept-${department}`;

export interface ScalePeople {
    readonly count: number;
    readonly leavers: string[];
    readonly reportRoom: string;
}

export const userId = (i: number) => `rc-u${i}`;
export const username = (i: number) => `u${i}`;

/** Creates `count` provider users and their linked chat users; every hundredth one has left. */
export async function seedCompany(host: AppHost, provider: TestProvider, count: number): Promise<ScalePeople> {
    const template = await provider.db.users.findOne({ _id: (await provider.createUser({ username: 'template', email: 'template@example.test', name: 'Template', password: 'template has a long passphrase' })).id });
    const now = new Date();
    const docs = Array.from({ length: count }, (_, i) => {
        const left = i % 100 === 7;
        return {
            ...template!,
            _id: randomUUID(),
            username: username(i),
            email: `${username(i)}@example.test`,
            name: `User ${i}`,
            department: DEPARTMENTS[i % DEPARTMENTS.length],
            jobTitle: 'Engineer',
            active: !left,
            employmentStatus: left ? ('left' as const) : ('active' as const),
            ...(left ? { leftAt: now } : {}),
            createdAt: now,
            updatedAt: now,
        };
    });
    await provider.db.users.insertMany(docs);
    const leavers: string[] = [];
    docs.forEach((doc, i) => {
        host.bridges.users.add(chatUser({ id: userId(i), username: username(i), email: doc.email, name: doc.name }));
        host.seedLink(userId(i), { token: `t-${i}`, refreshToken: `r-${i}`, expiresInSeconds: 3600, username: doc.username, email: doc.email, name: doc.name, sub: doc._id });
        if (!doc.active) {
            leavers.push(userId(i));
        }
    });
    DEPARTMENTS.forEach((_, d) => host.addRoom(channelOf(d)));
    const reportRoom = 'hr-reports';
    host.addRoom(reportRoom);
    const mapping = Object.fromEntries(DEPARTMENTS.map((name, d) => [name.toLowerCase().replace(/\s+/g, '-'), [channelOf(d)]]));
    await host.setSetting('hrm-department-channels', JSON.stringify(mapping));
    await host.setSetting('hrm-offboarding-report-room', reportRoom);
    await host.setSetting('hrm-offboarding-deactivate', true);
    return { count, leavers, reportRoom };
}

export interface PassFigures {
    readonly users: number;
    readonly invocations: number;
    readonly durationsMs: number[];
    readonly longestMs: number;
    readonly totalMs: number;
    readonly bridgeCalls: number;
    readonly callsPerUser: number;
    readonly statusRequests: number;
    readonly byBridge: Record<string, number>;
    readonly report: string;
    /** Reports of invocations the provider failed (the pass resumed after each). */
    readonly interruptions: string[];
}

const counters = new WeakMap<AppHost, CallCounter>();

/**
 * Runs invocations until the pass posts its final report (at most `maxInvocations`). An invocation
 * whose provider call failed posts a warning and the pass resumes at the next run; such warnings
 * are collected, and the next invocation is the recurring run, as in Rocket.Chat.
 */
export async function runPass(host: AppHost, people: ScalePeople, maxInvocations = 60): Promise<PassFigures> {
    const counter = counters.get(host) ?? countBridgeCalls(host.bridges as unknown as Record<string, object>);
    counters.set(host, counter);
    counter.reset();
    const reportsBefore = host.bridges.messages.created.length;
    const httpBefore = host.bridges.http.calls.length;
    const durations: number[] = [];
    const started = Date.now();
    let report: string | undefined;
    const interruptions: string[] = [];
    let seen = reportsBefore;
    let job = JOB;
    for (let i = 0; i < maxInvocations && report === undefined; i++) {
        const t0 = Date.now();
        await host.runJob(job);
        durations.push(Date.now() - t0);
        job = CONTINUE;
        for (const m of host.bridges.messages.created.slice(seen)) {
            if (m.room?.id !== `room-${people.reportRoom}`) {
                continue;
            }
            if (/^\*HRM job\*\n:warning:/.test(m.text ?? '')) {
                interruptions.push(m.text ?? '');
                job = JOB;
            } else {
                report = m.text;
            }
        }
        seen = host.bridges.messages.created.length;
    }
    const totalMs = Date.now() - started;
    const byBridge = Object.fromEntries([...counter.counts.entries()].sort((a, b) => b[1] - a[1]));
    return {
        users: people.count,
        invocations: durations.length,
        durationsMs: durations,
        longestMs: Math.max(...durations),
        totalMs,
        bridgeCalls: counter.total(),
        callsPerUser: counter.total() / people.count,
        statusRequests: host.bridges.http.calls.slice(httpBefore).filter((c) => c.url.endsWith('/api/v2/hrm/status/')).length,
        byBridge,
        report: report ?? '',
        interruptions,
    };
}

export function describeFigures(label: string, f: PassFigures): string {
    return [
        `${label}: ${f.users} linked users, ${f.invocations} invocation(s), longest ${(f.longestMs / 1000).toFixed(1)} s, whole pass ${(f.totalMs / 1000).toFixed(1)} s`,
        `  invocations (s): ${f.durationsMs.map((d) => (d / 1000).toFixed(1)).join(', ')}`,
        `  bridge calls (RPCs out of process): ${f.bridgeCalls} = ${f.callsPerUser.toFixed(2)} per user; status requests ${f.statusRequests}; provider interruptions ${f.interruptions.length}`,
        `  by bridge: ${Object.entries(f.byBridge).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ')}`,
        ...(f.interruptions.length > 0 ? [`  first interruption: ${f.interruptions[0].replace(/\n/g, ' ')}`] : []),
    ].join('\n');
}
