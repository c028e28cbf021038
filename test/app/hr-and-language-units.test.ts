/** Pure parts of issue 19: the settings cache, setting values of the wrong type, languages, identity, approvals, the pass report. */
import { SettingsCache } from '../../app-src/infra/settings/cache';
import { readHrSettings } from '../../app-src/infra/settings/hrSettings';
import { normaliseLanguage, t, tn } from '../../app-src/ui/i18n/translate';
import { identityMatchesUser } from '../../app-src/features/oauth/identityMatch';
import { APPROVAL_TTL_MS, isApproved } from '../../app-src/infra/storage/pendingLinks';
import { summaryText } from '../../app-src/features/hr/report';
import { emptySummary, looksMisconfigured } from '../../app-src/features/hr/offboarding';
import { formatDate, formatRelative } from '../../app-src/ui/messages/format';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { HrmPerson } from '../../app-src/features/hr/statusClient';

const source = (values: Record<string, unknown>) => {
    const reads: string[] = [];
    return {
        reads,
        getValueById: async (id: string) => {
            reads.push(id);
            if (!(id in values)) {
                throw new Error(`Setting "${id}" does not exist.`);
            }
            return values[id];
        },
    };
};

test('settings cache: one read per setting until invalidated; a failing read is not cached', async () => {
    const cache = new SettingsCache();
    const engine = source({ a: 1 });
    const view = cache.view(engine);
    expect(await view.getValueById('a')).toBe(1);
    expect(await view.getValueById('a')).toBe(1);
    expect(engine.reads).toEqual(['a']);
    cache.invalidate('a');
    await view.getValueById('a');
    expect(engine.reads).toEqual(['a', 'a']);
    await expect(view.getValueById('missing')).rejects.toThrow('does not exist');
    await expect(view.getValueById('missing')).rejects.toThrow('does not exist');
    expect(cache.reads).toBe(4);
    cache.invalidate();
    await view.getValueById('a');
    expect(engine.reads.filter((r) => r === 'a')).toHaveLength(3);
});

test('HR settings of the wrong type: the default is used and each is named once', async () => {
    const settings = await readHrSettings(source({
        'hrm-offboarding-interval-minutes': 'soon',
        'hrm-offboarding-deactivate': 'yes',
        'hrm-offboarding-dry-run': false,
        'hrm-offboarding-report-room': 42,
        'hrm-profile-sync': 'true',
        'hrm-department-channels': { engineering: ['dev'] },
        'hrm-offboarding-slice-seconds': 99,
        'hrm-offboarding-batch-size': '50',
    }));
    expect(settings).toMatchObject({ jobIntervalMinutes: 60, deactivateLeavers: false, reportRoom: '', profileSync: true, sliceSeconds: 15, batchSize: 50, departmentChannels: {} });
    expect(settings.mappingError).toBe('the department → channel mapping must be JSON text such as {"engineering": ["dev"]}');
    expect(settings.problems).toEqual([
        'The setting hrm-offboarding-report-room holds 42, not a room name: the summary goes to the app log only.',
        'The setting hrm-offboarding-interval-minutes holds "soon", not a whole number from 5 to 10080: using 60.',
        'The setting hrm-offboarding-deactivate holds "yes", not true or false: using false.',
        'The setting hrm-offboarding-slice-seconds holds 99, not a whole number from 1 to 25: using 15.',
    ]);
    const missing = await readHrSettings(source({}));
    expect(missing.problems).toEqual([]);
    expect(missing).toMatchObject({ sliceSeconds: 15, batchSize: 100 });
});

test('languages: exact, regional and base matches; English fallback for languages and keys', () => {
    expect(normaliseLanguage('de')).toBe('de');
    expect(normaliseLanguage('de-AT')).toBe('de');
    expect(normaliseLanguage('pt')).toBe('pt-BR');
    expect(normaliseLanguage('pt_BR')).toBe('pt-BR');
    expect(normaliseLanguage('ES')).toBe('es');
    expect(normaliseLanguage('ja')).toBe('en');
    expect(normaliseLanguage(undefined)).toBe('en');
    expect(t('fr', 'card-close')).toBe('Fermer');
    expect(t('xx', 'card-close')).toBe('Close');
    expect(t('de', 'card-title', { name: 'Ada' })).toBe('HRM-Profil: Ada');
    expect(tn('en', 'directory-found', 1, { what: '', page: 1, pages: 1 })).toBe('Found 1 person (page 1 of 1):');
    expect(tn('es', 'directory-found', 3, { what: '', page: 1, pages: 1 })).toBe('Se encontraron 3 personas (página 1 de 1):');
    expect(formatDate(Date.UTC(2026, 11, 24, 9, 5), 1, 'en')).toBe('2026-12-24 10:05 UTC+1');
    expect(formatDate(Date.UTC(2026, 11, 24, 9, 5), 1, 'de')).toBe('24.12.2026, 10:05 UTC+1');
    expect(formatRelative(10 * 60_000, 0, 'fr')).toBe('dans 10 minutes');
    expect(formatRelative(0, 2 * 3_600_000, 'pt-BR')).toBe('há 2 horas');
});

test('identity: only a verified equal email links; an equal username never does', () => {
    const user = (emails: Array<{ address: string; verified: boolean }>, username = 'erin') => ({ id: 'u', username, emails } as unknown as IUser);
    const erin = { sub: 's', username: 'erin', email: 'Erin@Example.test', emailVerified: true };
    expect(identityMatchesUser(erin, user([{ address: 'eve@example.test', verified: true }]))).toBe(false);
    expect(identityMatchesUser(erin, user([{ address: ' erin@example.test ', verified: true }], 'other'))).toBe(true);
    expect(identityMatchesUser(erin, user([{ address: 'erin@example.test', verified: false }]))).toBe(false);
    expect(identityMatchesUser({ ...erin, emailVerified: false }, user([{ address: 'erin@example.test', verified: true }]))).toBe(false);
});

test('an approval covers exactly the approved pair, for 7 days', () => {
    const link = { userId: 'u', sub: 'hrm-1', requestedAt: 0, approvedAt: 1000, approvedBy: 'admin' };
    expect(isApproved(link, 'hrm-1', 2000)).toBe(true);
    expect(isApproved(link, 'hrm-2', 2000)).toBe(false);
    expect(isApproved(link, 'hrm-1', 1000 + APPROVAL_TTL_MS)).toBe(false);
    expect(isApproved({ ...link, approvedAt: undefined }, 'hrm-1', 2000)).toBe(false);
    expect(isApproved(undefined, 'hrm-1', 2000)).toBe(false);
});

test('the pass report: counts, pass figures, channels kept on old engines; a provider that knows nobody', () => {
    const s = { ...emptySummary({ dryRun: false }), checked: 3, unlinked: 1, channelLeaves: 1, oldChannelsKept: 2 };
    expect(summaryText(s, { invocations: 2, longestMs: 12_345, total: 3 })).toBe([
        '*HRM job*',
        'Checked 3 · unlinked 1 · deactivated 0 · profiles updated 0 · channel joins 0 · failed 0',
        'Pass over 3 linked users in 2 invocations (longest 12.3 s).',
        "Channels left after a department move 1 · kept 2 (this Rocket.Chat's Apps-Engine cannot remove channel members; it needs 1.52 or newer)",
    ].join('\n'));
    const link = (sub: string) => ({ userId: sub, identity: { sub, linkedAt: 0 } });
    const unknown = new Map<string, HrmPerson>([['a', { id: 'a', status: 'unknown', groups: [] }], ['b', { id: 'b', status: 'unknown', groups: [] }]]);
    expect(looksMisconfigured([link('a'), link('b')], unknown)).toBe(true);
    expect(looksMisconfigured([link('a')], unknown)).toBe(false);
    expect(looksMisconfigured([link('a'), link('b')], new Map<string, HrmPerson>([...unknown, ['b', { id: 'b', status: 'active', groups: [] }]]))).toBe(false);
});
