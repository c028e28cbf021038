// Pure parts of the HR lifecycle: slugs, the app's setting parsers, custom-field merging, the
// /hrm find arguments and the run summary. (Everything else is tested end to end in app.test.ts
// and provider.test.ts.)
import { slugify, userGroups } from '../../provider/src/domain/hr/groups';
import { mappedRoles } from '../../provider/src/domain/hr/role-map';
import { effectiveStatus } from '../../provider/src/domain/hr/status';
import { parseChannelMapping, parseInterval } from '../../app-src/infra/settings/hrSettings';
import { mergeFields, leaveText } from '../../app-src/features/profile/sync';
import { parseFind } from '../../app-src/ui/commands/directory';
import { summaryText } from '../../app-src/features/hr/report';
import { parsePerson } from '../../app-src/features/hr/statusClient';
import { cardSurface, employmentText } from '../../app-src/ui/surfaces/cardSurface';

test('slugs and groups', () => {
  expect(slugify('Research & Development')).toBe('research-development');
  expect(slugify('  Ünïcode Sales!! ')).toBe('unicode-sales');
  expect(slugify('!!!')).toBe('');
  expect(userGroups({ department: 'Engineering', teams: ['platform', 'engineering'] })).toEqual(['engineering', 'platform']);
  expect(userGroups({})).toEqual([]);
  expect(mappedRoles(['hr-admin', 'lead', 'other'], { 'hr-admin': 'admin', lead: 'leader', x: 'admin' })).toEqual(['admin', 'leader']);
});

test('effective status: a past leave counts as active; left wins over inactive', () => {
  const now = new Date('2026-12-03T00:00:00Z');
  expect(effectiveStatus({ active: true, employmentStatus: 'on_leave', leaveUntil: new Date('2026-12-01T00:00:00Z') }, now)).toBe('active');
  expect(effectiveStatus({ active: true, employmentStatus: 'on_leave', leaveUntil: new Date('2027-01-01T00:00:00Z') }, now)).toBe('on_leave');
  expect(effectiveStatus({ active: false, employmentStatus: 'left' }, now)).toBe('left');
  expect(effectiveStatus({ active: false }, now)).toBe('deactivated');
});

test('department → channel mapping: good, bad JSON, wrong shapes are reported, not thrown', () => {
  expect(parseChannelMapping('{"Engineering": ["#dev", "dev", "eng"], "sales": "sales"}')).toEqual({ mapping: { engineering: ['dev', 'eng'], sales: ['sales'] } });
  expect(parseChannelMapping('')).toEqual({ mapping: {} });
  expect(parseChannelMapping('{not json').error).toBe('the department → channel mapping is not valid JSON');
  expect(parseChannelMapping('["dev"]').error).toMatch(/must be a JSON object/);
  const partly = parseChannelMapping('{"a": 5, "b": ["ok"], "c": [""]}');
  expect(partly.mapping).toEqual({ b: ['ok'] });
  expect(partly.error).toBe('the mapping for "a", "c" must be a channel name or a list of them');
  expect(parseInterval(15)).toBe(15);
  expect(parseInterval('30')).toBe(30);
  for (const bad of [0, 4, 1.5, 'x', undefined, 99999]) expect(parseInterval(bad)).toBe(60);
});

test('custom fields merge keeps other fields, removes cleared ones, and reports no change as undefined', () => {
  const current = { favouriteColour: 'blue', hrmDepartment: 'Sales', hrmEmployeeNumber: 'E-1' };
  expect(mergeFields(current, { hrmDepartment: 'Engineering', hrmJobTitle: 'Analyst', hrmEmployeeNumber: undefined, hrmManager: undefined })).toEqual({ favouriteColour: 'blue', hrmDepartment: 'Engineering', hrmJobTitle: 'Analyst' });
  expect(mergeFields({ hrmDepartment: 'Sales' }, { hrmDepartment: 'Sales', hrmJobTitle: undefined })).toBeUndefined();
  expect(mergeFields(undefined, { hrmDepartment: 'Sales' })).toEqual({ hrmDepartment: 'Sales' });
  expect(leaveText({ id: 'x', status: 'on_leave', leaveUntil: '2026-12-24', groups: [] })).toBe('On leave until 2026-12-24');
  expect(leaveText({ id: 'x', status: 'active', groups: [] })).toBeUndefined();
});

test('/hrm find arguments and the status answer parser refuse what they cannot use', () => {
  expect(parseFind(['ada', 'lovelace'])).toEqual({ q: 'ada lovelace', page: 1 });
  expect(parseFind(['eng', '--page', '3'])).toEqual({ q: 'eng', page: 3 });
  for (const bad of [[], ['--page', '2'], ['eng', '--page'], ['eng', '--page', '0'], ['eng', '--page', '2', 'x'], ['x'.repeat(101)]]) expect(parseFind(bad)).toBeUndefined();
  expect(parsePerson({ id: 'a', status: 'gone' })).toBeUndefined();
  expect(parsePerson({ id: 'a', status: 'left', picture: 'javascript:alert(1)', groups: ['x', 3] })).toEqual(expect.objectContaining({ id: 'a', status: 'left', picture: undefined, groups: ['x'] }));
});

test('run summary: counts, dry run, abort, and long lists cut at 20 lines', () => {
  const base = { dryRun: false, checked: 3, unlinked: 1, deactivated: 1, wouldUnlink: [], profilesUpdated: 2, channelJoins: 1, channelLeaves: 0, oldChannelsKept: 0, failed: 0, problems: [], skippedOldLinks: 0 };
  expect(summaryText(base)).toBe('*HRM job*\nChecked 3 · unlinked 1 · deactivated 1 · profiles updated 2 · channel joins 1 · failed 0');
  expect(summaryText({ ...base, aborted: 'The HRM provider could not be reached. Nothing was changed.' })).toBe('*HRM job*\n:warning: The HRM provider could not be reached. Nothing was changed.');
  const long = summaryText({ ...base, problems: Array.from({ length: 25 }, (_, i) => `problem ${i}`), skippedOldLinks: 2 });
  expect(long).toContain('• problem 19');
  expect(long).not.toContain('• problem 20');
  expect(long).toContain('…and 5 more (see the app log).');
  expect(long).toContain('2 links made before version 0.2 could not be checked');
  expect(summaryText({ ...base, dryRun: true, wouldUnlink: ['@leo (left)'] })).toBe('*HRM job (dry run: nothing was changed)*\nChecked 3 linked users; 1 would be unlinked.\n• would unlink @leo (left)');
});

test('colleague card surface: a modal with only the fields the provider returned', () => {
  const bare = cardSurface({ username: 'bob' });
  expect(bare).toMatchObject({ id: 'hrm-colleague-card', type: 'modal', close: { type: 'button', actionId: 'hrm-colleague-card-close' }, title: { type: 'plain_text', text: 'HRM profile: bob' } });
  expect(bare.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*bob* (@bob)' } }]);
  const full = cardSurface({ username: 'ada', name: 'Ada L', jobTitle: 'Analyst', manager: { username: 'g', name: 'Grace' }, picture: 'https://p.test/a.jpg', employmentStatus: 'on_leave' });
  expect(full.blocks).toEqual([
    { type: 'image', imageUrl: 'https://p.test/a.jpg', altText: 'Photo of Ada L' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Ada L* (@ada)' } },
    { type: 'section', fields: ['*Job title*\nAnalyst', '*Manager*\nGrace (@g)', '*Employment*\nOn leave'].map((text) => ({ type: 'mrkdwn', text })) },
  ]);
  expect(employmentText({ username: 'x', employmentStatus: 'active' })).toBe('Active');
  expect(employmentText({ username: 'x', employmentStatus: 'on_leave', leaveUntil: '2099-01-31' })).toBe('On leave until 2099-01-31');
  expect(employmentText({ username: 'x', employmentStatus: 'some_new_state' })).toBe('some new state');
  expect(employmentText({ username: 'x' })).toBeUndefined();
});
