// /scim/v2 from the outside, with the request shapes Microsoft Entra ID and Okta document, against
// a real provider on FerretDB: provisioning, matching probes, leavers (active:false, DELETE) losing
// every token at once, groups as teams, filters, paging, and every kind of bad input as SCIM errors.
import { runCli, runJson } from '../cli/run-cli';
import { startTestProvider, type TestProvider } from '../support/provider';
import { createClients, expectLeft, expectTokensWork, password, signInTokens, type Clients } from './support';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('SCIM 2.0 server', () => {
  let p: TestProvider;
  let c: Clients;
  let entra: string;
  let okta: string;
  let cliEnv: Record<string, string>;

  async function scim(token: string, method: string, path: string, body?: unknown, type = 'application/scim+json') {
    const res = await fetch(`${p.baseUrl}/scim/v2${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': type } : {}) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }

  function expectScimError(r: { status: number; json: any; type: string }, status: number, scimType?: string) {
    expect(r.status).toBe(status);
    expect(r.type).toMatch(/^application\/scim\+json/);
    expect(r.json.schemas).toEqual([ERROR]);
    expect(r.json.status).toBe(String(status));
    if (scimType) expect(r.json.scimType).toBe(scimType);
    expect(typeof r.json.detail).toBe('string');
  }

  beforeAll(async () => {
    // An hour-long fixed window: the 420-request burst below must fall in one window (with the
    // default 60 s, a burst that straddled a window boundary split its count and saw no 429).
    p = await startTestProvider({ env: { SCIM_MAX_RESULTS: '3', SCIM_RATE_LIMIT: '400', RATE_LIMIT_WINDOW_SECONDS: '3600' } });
    cliEnv = { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test' };
    c = await createClients(p);
    entra = (await runJson(['scim', 'token', 'create', '--name', 'Entra ID'], { env: cliEnv })).token;
    okta = (await runJson(['scim', 'token', 'create', '--name', 'Okta'], { env: cliEnv })).token;
    await p.createUser({ username: 'grace', email: 'grace@example.test', name: 'Grace Hopper', password: password('grace') });
    await p.createUser({ username: 'linus', email: 'linus@example.test', name: 'Linus T', password: password('linus') });
    await p.createUser({ username: 'ken', email: 'ken@example.test', name: 'Ken T', password: password('ken') });
  }, 120_000);
  afterAll(() => p?.stop());

  test('the CLI makes, lists and revokes connection tokens; only digests are stored; a revoked token gets 401', async () => {
    expect(entra).toMatch(/^hrmscim_[A-Za-z0-9_-]{40,}$/);
    const stored = await p.db.scimConnections.find({}).toArray();
    expect(JSON.stringify(stored)).not.toContain(entra);
    const temp = await runJson(['scim', 'token', 'create', '--name', 'JumpCloud'], { env: cliEnv });
    expect((await scim(temp.token, 'GET', '/Users?count=1')).status).toBe(200);
    const dup = await runCli(['scim', 'token', 'create', '--name', 'JumpCloud'], { env: cliEnv });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const revoked = await runCli(['scim', 'token', 'revoke', 'JumpCloud'], { env: cliEnv });
    expect(revoked.stdout).toMatch(/Revoked "JumpCloud"/);
    expectScimError(await scim(temp.token, 'GET', '/Users'), 401);
    const list = await runJson(['scim', 'token', 'list'], { env: cliEnv });
    expect(list.map((x: { name: string; revoked_at: string | null }) => [x.name, Boolean(x.revoked_at)])).toEqual([['Entra ID', false], ['Okta', false], ['JumpCloud', true]]);
    expect(JSON.stringify(list)).not.toMatch(/hrmscim_/);
    const none = await fetch(`${p.baseUrl}/scim/v2/Users`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectScimError(await scim('hrmscim_not-a-real-token', 'GET', '/Users'), 401);
  });

  test('discovery documents what is served', async () => {
    const spc = await scim(entra, 'GET', '/ServiceProviderConfig');
    expect(spc.json).toMatchObject({ patch: { supported: true }, filter: { supported: true, maxResults: 3 }, bulk: { supported: false }, sort: { supported: false }, etag: { supported: false } });
    const types = await scim(entra, 'GET', '/ResourceTypes');
    expect(types.json.Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group']);
    const schemas = await scim(entra, 'GET', '/Schemas');
    expect(schemas.json.Resources.map((r: { id: string }) => r.id)).toEqual([USER, ENTERPRISE, GROUP]);
    expectScimError(await scim(entra, 'DELETE', '/Schemas'), 405);
    expectScimError(await scim(entra, 'GET', '/Nope'), 404);
  });

  test('Entra ID: userName probe, create with its shape, "Replace" with "False" makes the person leave with every token revoked', async () => {
    // Entra matches existing accounts first (userName eq …); grace exists and signs in.
    const tokens = await signInTokens(p, c, 'grace');
    await expectTokensWork(p, c, tokens);
    const probe = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "Grace"')}`);
    expect(probe.json).toMatchObject({ totalResults: 1, Resources: [{ userName: 'grace', active: true }] });
    const missing = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alan"')}`);
    expect(missing.json).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });

    const created = await scim(entra, 'POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: 'alan',
      userName: 'alan',
      active: true,
      displayName: 'Alan Turing',
      title: 'Cryptanalyst',
      emails: [{ primary: true, type: 'work', value: 'Alan@Example.test' }],
      preferredLanguage: 'en-GB',
      name: { formatted: 'Alan Turing', familyName: 'Turing', givenName: 'Alan' },
      addresses: [{ type: 'work', formatted: 'Bletchley Park', primary: true }],
      phoneNumbers: [{ type: 'work', value: '+44 1' }],
      [ENTERPRISE]: { employeeNumber: 'E-100', department: 'Research', manager: { value: probe.json.Resources[0].id } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${p.baseUrl}/scim/v2/Users/${created.json.id}`);
    expect(created.json).toMatchObject({ userName: 'alan', externalId: 'alan', displayName: 'Alan Turing', emails: [{ value: 'alan@example.test' }], active: true, title: 'Cryptanalyst', name: { givenName: 'Alan', familyName: 'Turing' }, [ENTERPRISE]: { employeeNumber: 'E-100', department: 'Research', manager: { value: probe.json.Resources[0].id } } });
    const alan = await p.db.users.findOne({ username: 'alan' });
    // No password: the account cannot sign in until its owner sets one.
    expect(alan).toMatchObject({ source: 'scim', externalId: 'alan', manager: 'grace', employeeNumber: 'E-100', active: true });
    expect(alan!.passwordHash).toBeFalsy();
    // …until they set one from their invitation (SMTP is not set here: `user invite-links` lists it).
    expect(await p.db.audit.countDocuments({ actor: 'scim:Entra ID', action: 'user.invite', target: 'alan' })).toBe(1);
    const byExternal = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('externalId eq "alan"')}`);
    expect(byExternal.json.Resources[0].id).toBe(created.json.id);
    const byEmail = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "alan@example.test"')}`);
    expect(byEmail.json.totalResults).toBe(1);

    // Entra's PATCH: capitalised op names, string booleans, filtered email path, enterprise URN paths.
    const patched = await scim(entra, 'PATCH', `/Users/${created.json.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'title', value: 'Mathematician' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'turing@example.test' },
        { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Mathematics' },
        { op: 'Remove', path: `${ENTERPRISE}:manager` },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ title: 'Mathematician', emails: [{ value: 'turing@example.test' }], [ENTERPRISE]: { department: 'Mathematics' } });
    expect(patched.json[ENTERPRISE].manager).toBeUndefined();

    // Disabling grace in Entra: she leaves, and loses every token at once.
    const off = await scim(entra, 'PATCH', `/Users/${probe.json.Resources[0].id}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.status).toBe(200);
    expect(off.json.active).toBe(false);
    await expectLeft(p, c, 'grace', tokens);
    const audit = await p.db.audit.find({ actor: 'scim:Entra ID', action: 'user.left' }).toArray();
    expect(audit.map((a) => a.target)).toEqual(['grace']);
    expect((await p.db.audit.find({ actor: 'scim:Entra ID', action: 'user.create' }).toArray()).map((a) => a.target)).toEqual(['alan']);
    // Re-enabled: a rehire (old tokens stay revoked).
    const on = await scim(entra, 'PATCH', `/Users/${probe.json.Resources[0].id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: 'True' }] });
    expect(on.json.active).toBe(true);
    expect(await p.db.users.findOne({ username: 'grace' })).toMatchObject({ active: true, employmentStatus: 'active' });
  });

  test('Okta: create, path-less replace {active:false}, PUT, and DELETE (= left, the record kept, 404 to SCIM)', async () => {
    const tokens = await signInTokens(p, c, 'linus');
    const probe = await scim(okta, 'GET', `/Users?filter=${encodeURIComponent('userName eq "linus"')}&startIndex=1&count=100`);
    const id = probe.json.Resources[0].id;
    const off = await scim(okta, 'PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.json.active).toBe(false);
    await expectLeft(p, c, 'linus', tokens);
    expect((await p.db.audit.find({ actor: 'scim:Okta', action: 'user.left', target: 'linus' }).toArray())).toHaveLength(1);

    const created = await scim(okta, 'POST', '/Users', {
      schemas: [USER],
      userName: 'margaret',
      name: { givenName: 'Margaret', familyName: 'Hamilton' },
      emails: [{ primary: true, value: 'margaret@example.test', type: 'work' }],
      displayName: 'Margaret Hamilton',
      locale: 'en-US',
      externalId: '00u1abcd',
      groups: [],
      password: 'ignored-Password-1',
      active: true,
    }, 'application/json');
    expect(created.status).toBe(201);
    expect((await p.db.users.findOne({ username: 'margaret' }))!.passwordHash).toBeFalsy();
    const put = await scim(okta, 'PUT', `/Users/${created.json.id}`, { schemas: [USER], id: created.json.id, userName: 'margaret', name: { givenName: 'Margaret', familyName: 'Hamilton' }, emails: [{ primary: true, value: 'mh@example.test', type: 'work' }], displayName: 'Margaret H.', active: true });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ displayName: 'Margaret H.', emails: [{ value: 'mh@example.test' }] });
    expect(put.json.externalId).toBeUndefined(); // PUT replaces: what it does not carry is cleared
    const rename = await scim(okta, 'PUT', `/Users/${created.json.id}`, { ...put.json, userName: 'maggie' });
    expectScimError(rename, 400, 'mutability');

    // DELETE of someone signed in: left at once, record kept, SCIM answers 404 from then on.
    const kenTokens = await signInTokens(p, c, 'ken');
    const ken = (await scim(okta, 'GET', `/Users?filter=${encodeURIComponent('userName eq "ken"')}`)).json.Resources[0];
    const del = await scim(okta, 'DELETE', `/Users/${ken.id}`);
    expect(del.status).toBe(204);
    await expectLeft(p, c, 'ken', kenTokens);
    expect(await p.db.users.findOne({ _id: ken.id })).toMatchObject({ username: 'ken', employmentStatus: 'left' });
    expectScimError(await scim(okta, 'GET', `/Users/${ken.id}`), 404);
    expect((await scim(okta, 'GET', `/Users?filter=${encodeURIComponent('userName eq "ken"')}`)).json.totalResults).toBe(0);
    expectScimError(await scim(okta, 'DELETE', `/Users/${ken.id}`), 404);
    // Assigned again later: the same account comes back (history kept), active.
    const again = await scim(okta, 'POST', '/Users', { schemas: [USER], userName: 'ken', displayName: 'Ken T', emails: [{ value: 'ken@example.test' }], active: true });
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(ken.id);
    expect(await p.db.users.findOne({ _id: ken.id })).toMatchObject({ active: true, employmentStatus: 'active' });
  });

  test('groups: teams (create with members, Entra add/remove member PATCHes, filter, delete) and read-only departments', async () => {
    const users = (await scim(okta, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alan"')}`)).json.Resources;
    const margaret = (await scim(okta, 'GET', `/Users?filter=${encodeURIComponent('userName eq "margaret"')}`)).json.Resources[0];
    const g = await scim(entra, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Platform Team', externalId: 'g-1', members: [{ value: users[0].id }] });
    expect(g.status).toBe(201);
    expect(g.json).toMatchObject({ displayName: 'Platform Team', externalId: 'g-1', members: [{ value: users[0].id }] });
    expect((await p.db.users.findOne({ username: 'alan' }))!.teams).toEqual(['platform-team']);
    const add = await scim(entra, 'PATCH', `/Groups/${g.json.id}`, { schemas: [PATCH], Operations: [{ op: 'Add', path: 'members', value: [{ value: margaret.id }] }] });
    expect(add.status).toBe(200);
    expect(add.json.members.map((m: { value: string }) => m.value).sort()).toEqual([users[0].id, margaret.id].sort());
    const remove = await scim(entra, 'PATCH', `/Groups/${g.json.id}`, { schemas: [PATCH], Operations: [{ op: 'Remove', path: `members[value eq "${users[0].id}"]` }] });
    expect(remove.json.members).toEqual([{ value: margaret.id, $ref: `${p.baseUrl}/scim/v2/Users/${margaret.id}` }]);
    expect((await p.db.users.findOne({ username: 'alan' }))!.teams ?? []).toEqual([]);
    const found = await scim(entra, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "Platform Team"')}&excludedAttributes=members`);
    expect(found.json.Resources).toEqual([expect.objectContaining({ id: g.json.id, displayName: 'Platform Team' })]);
    expect(found.json.Resources[0].members).toBeUndefined();
    const member = await scim(entra, 'GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${margaret.id}"]`)}`);
    expect(member.json.totalResults).toBe(1);
    expectScimError(await scim(entra, 'POST', '/Groups', { schemas: [GROUP], displayName: 'platform team' }), 409, 'uniqueness');
    expectScimError(await scim(entra, 'POST', '/Groups', { schemas: [GROUP], displayName: 'Ghosts', members: [{ value: 'nobody' }] }), 400, 'invalidValue');
    expect(await p.db.peopleGroups.countDocuments({ slug: 'ghosts' })).toBe(0);
    // Departments are read-only groups that follow the enterprise "department" attribute.
    const dept = await scim(entra, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "Mathematics"')}`);
    expect(dept.json.Resources).toEqual([expect.objectContaining({ id: 'department-mathematics', displayName: 'Mathematics', members: [{ value: users[0].id, $ref: `${p.baseUrl}/scim/v2/Users/${users[0].id}` }] })]);
    expect((await scim(entra, 'GET', '/Groups/department-mathematics')).json.displayName).toBe('Mathematics');
    expectScimError(await scim(entra, 'PATCH', '/Groups/department-mathematics', { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Maths' }] }), 400, 'mutability');
    expectScimError(await scim(entra, 'DELETE', '/Groups/department-mathematics'), 400, 'mutability');
    expectScimError(await scim(entra, 'GET', '/Groups/department-nowhere'), 404);
    expect((await scim(entra, 'DELETE', `/Groups/${g.json.id}`)).status).toBe(204);
    expect((await p.db.users.findOne({ username: 'margaret' }))!.teams ?? []).toEqual([]);
    expectScimError(await scim(entra, 'GET', `/Groups/${g.json.id}`), 404);
  });

  test('filters, paging and attribute selection', async () => {
    const and = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alan" and emails.value eq "turing@example.test"')}`);
    expect(and.json.totalResults).toBe(1);
    const none = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alan" and emails.value eq "other@example.test"')}`);
    expect(none.json.totalResults).toBe(0);
    const all = await scim(entra, 'GET', '/Users');
    expect(all.json.itemsPerPage).toBe(3); // SCIM_MAX_RESULTS
    const total = all.json.totalResults;
    expect(total).toBeGreaterThanOrEqual(5);
    const huge = await scim(entra, 'GET', '/Users?count=100000000&startIndex=2');
    expect(huge.json).toMatchObject({ startIndex: 2, itemsPerPage: 3, totalResults: total });
    expect(huge.json.Resources[0].id).toBe(all.json.Resources[1].id);
    const last = await scim(entra, 'GET', `/Users?startIndex=${total}&count=2`);
    expect(last.json.itemsPerPage).toBe(1);
    const zero = await scim(entra, 'GET', '/Users?count=0');
    expect(zero.json).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
    const some = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alan"')}&attributes=userName,${ENTERPRISE}:department`);
    expect(some.json.Resources[0]).toEqual({ schemas: expect.any(Array), id: expect.any(String), userName: 'alan', [ENTERPRISE]: { department: 'Mathematics' } });
    expectScimError(await scim(entra, 'GET', '/Users?startIndex=abc'), 400, 'invalidValue');
  });

  test('bad input: SCIM errors, nothing written', async () => {
    const before = await p.db.users.countDocuments({});
    const base = { schemas: [USER], displayName: 'X', emails: [{ value: 'x1@example.test' }], active: true };
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'alan' }), 409, 'uniqueness');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', emails: [{ value: 'turing@example.test' }] }), 409, 'uniqueness');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', shoeSize: 44 }), 400, 'invalidSyntax');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', schemas: ['urn:example:Widget'] }), 400, 'invalidSyntax');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'has spaces@example.test' }), 400, 'invalidValue');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', active: 'maybe' }), 400, 'invalidValue');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', emails: [] }), 400, 'invalidValue');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', [ENTERPRISE]: { manager: { value: 'nobody' } } }), 400, 'invalidValue');
    expectScimError(await scim(entra, 'POST', '/Users', '{"schemas": [', 'application/scim+json'), 400, 'invalidSyntax');
    expectScimError(await scim(entra, 'POST', '/Users', 'userName=x', 'application/x-www-form-urlencoded'), 400, 'invalidSyntax');
    expectScimError(await scim(entra, 'POST', '/Users', { ...base, userName: 'newbie', displayName: 'x'.repeat(2 * 1048576) }), 413);
    for (const f of ['userName co "a"', 'userName eq', 'password eq "x"', 'userName eq "a" or userName eq "b"', 'userName eq 42', '(userName eq "a"']) {
      expectScimError(await scim(entra, 'GET', `/Users?filter=${encodeURIComponent(f)}`), 400, 'invalidFilter');
    }
    // A filter value is only ever an equality operand.
    const injected = await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "{\\"$ne\\": null}"')}`);
    expect(injected.json.totalResults).toBe(0);
    const alan = (await scim(entra, 'GET', `/Users?filter=${encodeURIComponent('userName eq "alan"')}`)).json.Resources[0];
    expectScimError(await scim(entra, 'PATCH', `/Users/${alan.id}`, { schemas: [PATCH], Operations: [{ op: 'explode', path: 'title' }] }), 400, 'invalidSyntax');
    expectScimError(await scim(entra, 'PATCH', `/Users/${alan.id}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
    expectScimError(await scim(entra, 'PATCH', `/Users/${alan.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'id', value: 'x' }] }), 400, 'mutability');
    expectScimError(await scim(entra, 'PATCH', `/Users/${alan.id}`, { schemas: [PATCH], Operations: [{ op: 'remove', path: 'emails' }] }), 400, 'invalidValue');
    expectScimError(await scim(entra, 'PATCH', `/Users/${alan.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'ok' }, { op: 'replace', path: 'emails[type eq "work"].value', value: 'grace@example.test' }] }), 409, 'uniqueness');
    expectScimError(await scim(entra, 'PUT', '/Users/does-not-exist', { ...base, userName: 'x' }), 404);
    expect(await p.db.users.countDocuments({})).toBe(before);
    expect(await p.db.users.findOne({ username: 'alan' })).toMatchObject({ jobTitle: 'Mathematician', email: 'turing@example.test' });
  });

  test('each connection is rate limited on its own', async () => {
    const { token } = await p.running.services.scimConnections.create('Burst', 'test');
    const answers = await Promise.all(Array.from({ length: 420 }, () => scim(token, 'GET', '/ServiceProviderConfig').then((r) => r.status)));
    expect(answers.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(answers.filter((s) => s === 200).length).toBeLessThanOrEqual(400);
    const limited = await scim(token, 'GET', '/Users');
    expectScimError(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await scim(okta, 'GET', '/ServiceProviderConfig')).status).toBe(200);
  });
});
