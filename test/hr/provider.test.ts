// HR lifecycle on the provider (docs/hr-lifecycle.md), against a real provider on FerretDB:
// leaving through the CLI and the admin page ends access at once; HR claims by scope; the app's
// status endpoint and the directory, with their bad input.
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';
import { runCli, runJson } from '../cli/run-cli';
import { signIn, submitForm } from '../web/support';

const REDIRECT = 'https://app.example.test/cb';
const pw = (u: string) => `${u}-long-password`;

describe('HR lifecycle on the provider', () => {
  let p: TestProvider;
  let generic: { client_id: string; client_secret: string };
  let app: { client_id: string; client_secret: string };
  let cliEnv: Record<string, string>;

  async function tokensFor(username: string, scope: string) {
    const { code } = await obtainCode(p.baseUrl, { client_id: generic.client_id, redirect_uri: REDIRECT, scope }, { username, password: pw(username) });
    const r = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: basic(generic.client_id, generic.client_secret) });
    expect(r.status).toBe(200);
    return r.json as { access_token: string; refresh_token: string };
  }
  const status = (body: unknown, auth = basic(app.client_id, app.client_secret), type = 'application/json') =>
    fetch(`${p.baseUrl}/api/v2/hrm/status/`, { method: 'POST', headers: { authorization: auth, 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json().catch(() => undefined), headers: r.headers }));

  beforeAll(async () => {
    p = await startTestProvider({ env: { HR_ROLE_MAP: '{"hr-admin":"admin","lead":"leader"}', HRM_STATUS_BATCH_MAX: '5', HRM_DIRECTORY_PAGE_SIZE: '2', HRM_STATUS_RATE_LIMIT: '15', HRM_DIRECTORY_RATE_LIMIT: '15' } });
    cliEnv = { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test' };
    generic = await p.createClient({ name: 'Generic', redirectUris: [REDIRECT], preset: 'generic', skipAuthorization: true });
    app = await p.createClient({ name: 'Rocket.Chat app', redirectUris: ['https://chat.example.test/api/apps/public/x/hrm-callback'], preset: 'rocketchat-app' });
    await p.createUser({ username: 'boss', email: 'boss@example.test', name: 'Grace Boss', password: pw('boss'), department: 'Engineering', jobTitle: 'CTO', admin: true });
    await p.createUser({ username: 'ada', email: 'ada@example.test', name: 'Ada Lovelace', password: pw('ada'), department: 'Research & Development', jobTitle: 'Analyst' });
    await p.createUser({ username: 'leo', email: 'leo@example.test', name: 'Leo Leaver', password: pw('leo'), department: 'Sales' });
    await p.createUser({ username: 'zoe', email: 'zoe@example.test', name: 'Zoe Zed', password: pw('zoe'), department: 'Engineering' });
  }, 120_000);
  afterAll(() => p?.stop());

  test('CLI: employment fields are validated and set; the output shows them', async () => {
    const out = await runJson(['user', 'edit', 'ada', '--manager', 'boss', '--employee-number', 'E-042', '--teams', 'platform, data', '--hr-roles', 'lead,unmapped', '--picture-url', '/static/ada.png'], { env: cliEnv });
    expect(out).toMatchObject({ username: 'ada', manager: 'boss', employee_number: 'E-042', groups: ['research-development', 'platform', 'data'], hr_roles: ['lead', 'unmapped'], employment_status: 'active' });
    for (const [args, message] of [
      [['--manager', 'ghost'], /no user named "ghost"/],
      [['--status', 'on_leave'], /needs its end date/],
      [['--teams', 'Not A Slug!', '--picture-url', 'javascript:alert(1)'], /slugs.*https/],
    ] as const) {
      const r = await runCli(['user', 'edit', 'ada', ...args], { env: cliEnv });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
    expect(await p.db.users.findOne({ username: 'ada' })).toMatchObject({ manager: 'boss', employeeNumber: 'E-042', active: true });
    expect((await p.db.users.findOne({ username: 'ada' }))!.employmentStatus).toBeUndefined();
  });

  test('userinfo: `read` is identity only; `hrm` adds the HR claims, top level', async () => {
    const read = await tokensFor('ada', 'read');
    const plain = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${read.access_token}` });
    expect(plain.status).toBe(200);
    expect(plain.json.username).toBe('ada');
    for (const k of ['picture', 'manager', 'employee_number', 'employment_status', 'groups', 'roles']) expect(plain.json).not.toHaveProperty(k);

    const hrm = await tokensFor('ada', 'read hrm');
    const full = await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${hrm.access_token}` });
    expect(full.json).toMatchObject({
      username: 'ada',
      picture: `${p.baseUrl}/static/ada.png`,
      manager: { username: 'boss', name: 'Grace Boss' },
      employee_number: 'E-042',
      employment_status: 'active',
      groups: ['research-development', 'platform', 'data'],
      roles: ['leader'],
    });
  });

  test('the consent page says what scope hrm releases', async () => {
    const http = await signIn(p.baseUrl, 'zoe', pw('zoe'));
    const url = `${p.baseUrl}/o/authorize/?${new URLSearchParams({ response_type: 'code', client_id: app.client_id, redirect_uri: 'https://chat.example.test/api/apps/public/x/hrm-callback', scope: 'read hrm' })}`;
    const page = await http.request(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('See your HR record: photo, manager, employee number, employment status');
  });

  test('a user marked as left through the CLI loses every token at once and cannot sign in again', async () => {
    const t = await tokensFor('leo', 'read hrm');
    const r = await runCli(['user', 'edit', 'leo', '--status', 'left', '--left-at', '2026-11-30'], { env: cliEnv });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/leo has left: the account is deactivated and 1 access token was revoked/);
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.access_token}` })).status).toBe(401);
    const refreshed = await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(generic.client_id, generic.client_secret) });
    expect(refreshed.status).toBe(400);
    expect(refreshed.json.error).toBe('invalid_grant');
    await expect(obtainCode(p.baseUrl, { client_id: generic.client_id, redirect_uri: REDIRECT, scope: 'read' }, { username: 'leo', password: pw('leo') })).rejects.toThrow();
    expect(await p.db.users.findOne({ username: 'leo' })).toMatchObject({ active: false, employmentStatus: 'left', leftAt: new Date('2026-11-30T00:00:00Z') });
    const audit = await p.db.audit.find({ target: 'leo' }).toArray();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.left', 'user.employment']));
  });

  test('the admin page sets a leave and marks a user as left (audited, CSRF-protected)', async () => {
    const http = await signIn(p.baseUrl, 'boss', pw('boss'));
    const zoe = (await p.db.users.findOne({ username: 'zoe' }))!;
    const page = `/admin/users/${zoe._id}/`;
    const leave = await submitForm(http, p.baseUrl, page, `${page}employment`, { employment_status: 'on_leave', leave_until: '2099-01-31', left_at: '', manager: 'boss', employee_number: 'E-7', teams: '', hr_roles: 'hr-admin', picture_url: '' });
    expect(leave.res.status).toBe(303);
    expect(await p.db.users.findOne({ _id: zoe._id })).toMatchObject({ employmentStatus: 'on_leave', leaveUntil: new Date('2099-01-31T00:00:00Z'), manager: 'boss', hrRoles: ['hr-admin'], active: true });
    const bad = await submitForm(http, p.baseUrl, page, `${page}employment`, { employment_status: 'left', left_at: 'yesterday', leave_until: '', manager: 'boss', employee_number: '', teams: '', hr_roles: '', picture_url: '' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('left-at must be a date written YYYY-MM-DD');
    expect((await p.db.users.findOne({ _id: zoe._id }))!.active).toBe(true);
    const noCsrf = await http.request(`${p.baseUrl}${page}employment`, { form: { employment_status: 'left' } });
    expect(noCsrf.status).toBe(403);
    const boss = (await p.db.users.findOne({ username: 'boss' }))!;
    const self = await submitForm(http, p.baseUrl, `/admin/users/${boss._id}/`, `/admin/users/${boss._id}/employment`, { employment_status: 'left', left_at: '', leave_until: '', manager: '', employee_number: '', teams: '', hr_roles: '', picture_url: '' });
    expect(self.res.status).toBe(400);
    expect(self.html).toContain('You cannot mark your own account as left');
    expect((await p.db.users.findOne({ _id: boss._id }))!.active).toBe(true);
    const t = await tokensFor('ada', 'read');
    const ada = (await p.db.users.findOne({ username: 'ada' }))!;
    const left = await submitForm(http, p.baseUrl, `/admin/users/${ada._id}/`, `/admin/users/${ada._id}/employment`, { employment_status: 'left', left_at: '', leave_until: '', manager: 'boss', employee_number: 'E-042', teams: 'platform, data', hr_roles: 'lead', picture_url: '/static/ada.png' });
    expect(left.res.status).toBe(303);
    expect(left.res.headers.get('location')).toContain('notice=user-left');
    const shown = await (await http.request(`${p.baseUrl}/admin/users/${ada._id}/?notice=user-left`)).text();
    expect(shown).toMatch(/<strong>Left the organisation<\/strong> on \d{4}-\d{2}-\d{2}: the account is deactivated\./);
    expect(shown).toContain('The user was marked as left');
    expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${t.access_token}` })).status).toBe(401);
    expect(await p.db.audit.findOne({ action: 'user.left', target: 'user:ada', actor: 'boss' })).toBeTruthy();
    // Rehire: back to active restores sign-in.
    const back = await submitForm(http, p.baseUrl, `/admin/users/${ada._id}/`, `/admin/users/${ada._id}/employment`, { employment_status: 'active', left_at: '', leave_until: '', manager: 'boss', employee_number: 'E-042', teams: 'platform, data', hr_roles: 'lead', picture_url: '/static/ada.png' });
    expect(back.res.status).toBe(303);
    expect(await p.db.users.findOne({ _id: ada._id })).toMatchObject({ active: true, employmentStatus: 'active' });
  });

  test('status endpoint: the app client gets statuses and HR fields for a batch', async () => {
    const zoe = (await p.db.users.findOne({ username: 'zoe' }))!;
    await p.db.users.updateOne({ username: 'boss' }, { $set: { employmentStatus: 'active' } });
    await runCli(['user', 'deactivate', 'boss'], { env: cliEnv });
    const r = await status({ ids: [zoe._id, 'leo', 'ADA', 'ghost', 'boss'] });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const by = Object.fromEntries(r.json.users.map((u: any) => [u.id, u]));
    expect(by[zoe._id]).toMatchObject({ sub: zoe._id, username: 'zoe', status: 'on_leave', leave_until: '2099-01-31', manager: { username: 'boss', name: 'Grace Boss' }, employee_number: 'E-7', department: 'Engineering', groups: ['engineering'], roles: ['admin'] });
    expect(by.leo).toMatchObject({ status: 'left', left_at: '2026-11-30' });
    expect(by.ADA).toMatchObject({ username: 'ada', status: 'active', job_title: 'Analyst' });
    expect(by.ghost).toEqual({ id: 'ghost', status: 'unknown' });
    expect(by.boss.status).toBe('deactivated');
    await runCli(['user', 'reactivate', 'boss'], { env: cliEnv });
  });

  test('status endpoint: users named by id and by username in one batch are all found, through two $in reads, not an $or', async () => {
    const [zoe, ada] = await Promise.all([p.db.users.findOne({ username: 'zoe' }), p.db.users.findOne({ username: 'ada' })]);
    const finds: Array<Record<string, unknown>> = [];
    const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'find' && e.command.find === 'users') finds.push(e.command.filter as Record<string, unknown>);
    };
    const watching = async <T>(run: () => Promise<T>): Promise<T> => {
      finds.length = 0;
      p.db.client.on('commandStarted', watch);
      try {
        return await run();
      } finally {
        p.db.client.off('commandStarted', watch);
      }
    };
    // zoe by id, leo by username, ada both ways (one user, two entries), and an id nobody has.
    const r = await watching(() => status({ ids: [zoe!._id, 'leo', ada!._id, 'Ada', 'no-such-id'] }));
    expect(r.status).toBe(200);
    expect(r.json.users.map((u: any) => [u.id, u.username ?? null, u.status])).toEqual([
      [zoe!._id, 'zoe', 'on_leave'],
      ['leo', 'leo', 'left'],
      [ada!._id, 'ada', 'active'],
      ['Ada', 'ada', 'active'],
      ['no-such-id', null, 'unknown'],
    ]);
    // The embedded FerretDB cannot push an $or down (it would read every user): never sent.
    expect(finds.some((f) => '$or' in f)).toBe(false);
    expect(finds).toEqual(expect.arrayContaining([{ _id: { $in: expect.arrayContaining([zoe!._id, 'leo']) } }, { username: { $in: ['leo', 'ada', 'no-such-id'] } }]));
    // Subject ids only (what the app sends): the ids' index search alone; no lookup of them by username.
    const subs = await watching(() => status({ ids: [zoe!._id, ada!._id] }));
    expect(subs.json.users.map((u: any) => u.username)).toEqual(['zoe', 'ada']);
    expect(finds.filter((f) => JSON.stringify(f).includes(zoe!._id))).toEqual([{ _id: { $in: [zoe!._id, ada!._id] } }]);
  });

  test('status endpoint: bad input is a clear 4xx, never 5xx', async () => {
    const noAuth = await fetch(`${p.baseUrl}/api/v2/hrm/status/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ids":["ada"]}' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await status({ ids: ['ada'] }, basic(app.client_id, 'wrong-secret'))).json).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    const other = await status({ ids: ['ada'] }, basic(generic.client_id, generic.client_secret));
    expect(other.status).toBe(403);
    expect(other.json.error).toBe('unauthorized_client');
    for (const [body, message] of [
      ['{"ids": [', /could not be parsed/],
      [{ ids: [] }, /at least one/],
      [{ ids: ['a', 'b', 'c', 'd', 'e', 'f'] }, /at most 5/],
      [{ ids: 'ada' }, /array/],
      [{ ids: [42] }, /string/],
      [{ ids: ['ada'], extra: 1 }, /Unrecognized key/],
      [['ada'], /JSON object/],
    ] as const) {
      const r = await status(body);
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('invalid_request');
      expect(r.json.error_description).toMatch(message);
    }
    const form = await status('ids=ada', basic(app.client_id, app.client_secret), 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    expect((await fetch(`${p.baseUrl}/api/v2/hrm/status/`)).status).toBe(405);
  });

  test('directory: scope hrm required, active employees only, paged, allowed fields only', async () => {
    const read = await tokensFor('zoe', 'read');
    const refused = await getJson(`${p.baseUrl}/api/v2/hrm/directory/`, { authorization: `Bearer ${read.access_token}` });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('insufficient_scope');
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/directory/`)).status).toBe(401);
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/directory/`, { authorization: 'Bearer not-a-token' })).status).toBe(401);

    const t = await tokensFor('zoe', 'hrm');
    const auth = { authorization: `Bearer ${t.access_token}` };
    const page1 = await getJson(`${p.baseUrl}/api/v2/hrm/directory/?page=1`, auth);
    expect(page1.status).toBe(200);
    // boss, ada, zoe are current; leo left.
    expect(page1.json).toMatchObject({ page: 1, page_size: 2, total: 3, pages: 2 });
    expect(page1.json.people.map((x: any) => x.username)).toEqual(['ada', 'boss']);
    const page2 = await getJson(`${p.baseUrl}/api/v2/hrm/directory/?page=2`, auth);
    expect(page2.json.people.map((x: any) => x.username)).toEqual(['zoe']);
    expect(page1.json.people[0]).not.toHaveProperty('email');
    expect(page1.json.people[0]).not.toHaveProperty('employee_number');
    const search = await getJson(`${p.baseUrl}/api/v2/hrm/directory/?q=${encodeURIComponent('research (')}`, auth);
    expect(search.json.total).toBe(0);
    const dept = await getJson(`${p.baseUrl}/api/v2/hrm/directory/?q=engin`, auth);
    expect(dept.json.people.map((x: any) => x.username)).toEqual(['boss', 'zoe']);
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/directory/?page=0`, auth)).status).toBe(400);
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/directory/?page=x`, auth)).status).toBe(400);
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/directory/?q=${'a'.repeat(101)}`, auth)).status).toBe(400);
    // A NUL cannot go into the database's regex: a 400 with a sentence, not a 500 (issue 20 E).
    const nul = await getJson(`${p.baseUrl}/api/v2/hrm/directory/?q=a%00`, auth);
    expect(nul.status).toBe(400);
    expect(nul.json).toEqual({ error: 'invalid_request', error_description: 'q must not contain a NUL character (%00).' });
    // Regex metacharacters are matched literally.
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/directory/?q=${encodeURIComponent('.*')}`, auth)).json.total).toBe(0);

    const card = await getJson(`${p.baseUrl}/api/v2/hrm/people/ada/`, auth);
    expect(card.json).toEqual({ username: 'ada', name: 'Ada Lovelace', job_title: 'Analyst', department: 'Research & Development', manager: { username: 'boss', name: 'Grace Boss' }, picture: `${p.baseUrl}/static/ada.png`, employment_status: 'active' });
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/people/leo/`, auth)).status).toBe(404);
    expect((await getJson(`${p.baseUrl}/api/v2/hrm/people/nobody/`, auth)).status).toBe(404);
  });

  test('Connect Rocket.Chat page: Custom OAuth group → channel map and roles to sync from departments, teams and HR_ROLE_MAP', async () => {
    const login = await p.createClient({ name: 'RC login', redirectUris: ['https://chat.example.test/_oauth/hrm'], preset: 'rocketchat-login' });
    const http = await signIn(p.baseUrl, 'boss', pw('boss'));
    const page = await http.request(`${p.baseUrl}/admin/clients/${login.client_id}/connect`);
    const html = await page.text();
    expect(page.status).toBe(200);
    const map = /<pre id="value-groups-channel-map">([^<]*)<\/pre>/.exec(html)![1].replace(/&quot;/g, '"');
    expect(JSON.parse(map)).toEqual({ data: 'data', engineering: 'engineering', platform: 'platform', 'research-development': 'research-development' });
    expect(html).toContain('<code id="value-roles-to-sync">admin,leader</code>');
    expect(html).toContain('OVERWRITE_SETTING_Accounts_OAuth_Custom-Hrm-roles_to_sync=admin,leader');
    expect(html).toContain('OVERWRITE_SETTING_Accounts_OAuth_Custom-Hrm-scope=read write hrm');
  });

  test('status and directory are rate limited (429 with Retry-After), per client and per user', async () => {
    const other = await p.createClient({ name: 'Second app', redirectUris: ['https://chat2.example.test/api/apps/public/x/hrm-callback'], preset: 'rocketchat-app' });
    const codes: number[] = [];
    for (let i = 0; i < 16; i++) codes.push((await status({ ids: ['ada'] }, basic(other.client_id, other.client_secret))).status);
    expect(codes.slice(0, 15).every((c) => c === 200)).toBe(true);
    const limited = await status({ ids: ['ada'] }, basic(other.client_id, other.client_secret));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.json.error).toBe('temporarily_unavailable');

    const t = await tokensFor('boss', 'hrm');
    const seen: number[] = [];
    for (let i = 0; i < 16; i++) seen.push((await getJson(`${p.baseUrl}/api/v2/hrm/people/ada/`, { authorization: `Bearer ${t.access_token}` })).status);
    expect(seen.slice(0, 15).every((c) => c === 200)).toBe(true);
    expect(seen[15]).toBe(429);
  });
});
