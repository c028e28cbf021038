// LDAP sync against a real OpenLDAP server (Debian's slapd, started here on a free port with a
// generated config) and a real provider on FerretDB, driven by the real CLI: people and group
// mapping in, a removed or disabled person out (every token revoked at once), and a directory that
// is empty, unreachable, refuses the bind or maps to nobody changes nothing.
import { Attribute, Change, Client } from 'ldapts';
import { runCli, runJson } from '../cli/run-cli';
import { startTestProvider, type TestProvider } from '../support/provider';
import { startSlapd, type Slapd } from '../support/slapd';
import { createClients, expectLeft, expectTokensWork, password, signInTokens, type Clients } from './support';
import { mapEntry } from '../../provider/src/domain/people/directory/sync';
import { PRESETS, type DirectorySettings } from '../../provider/src/domain/people/directory/presets';

const BASE = 'dc=example,dc=org';
const person = (uid: string, cn: string, extra: string[] = []) => [`dn: uid=${uid},ou=people,${BASE}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${cn}`, `sn: ${cn.split(' ').pop()}`, `givenName: ${cn.split(' ')[0]}`, `mail: ${uid}@example.org`, ...extra, ''].join('\n');

const LDIF = [
  [`dn: ${BASE}`, 'objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example', ''].join('\n'),
  [`dn: ou=people,${BASE}`, 'objectClass: organizationalUnit', 'ou: people', ''].join('\n'),
  [`dn: ou=groups,${BASE}`, 'objectClass: organizationalUnit', 'ou: groups', ''].join('\n'),
  [`dn: cn=hrm-sync,${BASE}`, 'objectClass: simpleSecurityObject', 'objectClass: organizationalRole', 'cn: hrm-sync', 'userPassword: sync-password-1', ''].join('\n'),
  person('alice', 'Alice Archer', ['title: CTO', 'employeeNumber: 100', 'ou: Engineering']),
  person('bob', 'Bob Baker', ['title: Engineer', 'employeeNumber: 101', `manager: uid=alice,ou=people,${BASE}`]),
  person('carol', 'Carol Cook', ['title: Designer', `manager: uid=alice,ou=people,${BASE}`]),
  person('dave', 'Dave Disabled', ['employeeType: disabled']),
  person('nomail', 'No Mail', []).replace(/^mail: .*\n/m, ''),
  [`dn: cn=platform,ou=groups,${BASE}`, 'objectClass: groupOfNames', 'cn: platform', `member: uid=alice,ou=people,${BASE}`, `member: uid=bob,ou=people,${BASE}`, ''].join('\n'),
  [`dn: cn=design,ou=groups,${BASE}`, 'objectClass: groupOfNames', 'cn: design', `member: uid=carol,ou=people,${BASE}`, ''].join('\n'),
].join('\n');

describe('directory sync (OpenLDAP)', () => {
  let ldap: Slapd;
  let p: TestProvider;
  let c: Clients;
  let env: Record<string, string>;

  async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ url: ldap.url });
    await client.bind(ldap.rootDn, ldap.rootPassword);
    try {
      return await fn(client);
    } finally {
      await client.unbind();
    }
  }

  beforeAll(async () => {
    ldap = await startSlapd(BASE, LDIF);
    p = await startTestProvider();
    c = await createClients(p);
    env = {
      MONGO_URL: p.mongoUrl,
      MONGO_DB: 'hrm_test',
      LDAP_URL: ldap.url,
      LDAP_STARTTLS: 'false',
      LDAP_BIND_DN: `cn=hrm-sync,${BASE}`,
      LDAP_BIND_PASSWORD: 'sync-password-1',
      LDAP_BASE_DN: `ou=people,${BASE}`,
      LDAP_ATTRIBUTE_MAP: '{"disabled":"employeeType"}',
      LDAP_GROUP_MAP: JSON.stringify({ [`cn=platform,ou=groups,${BASE}`]: 'team:platform', [`cn=design,ou=groups,${BASE}`]: 'department:Design' }),
      LDAP_TIMEOUT_SECONDS: '3',
    };
    // A local account with bob's name but another address must not be taken over.
    await p.createUser({ username: 'carol', email: 'carol@example.org', name: 'Carol Local', password: password('carol') });
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
    await ldap?.stop();
  });

  test('dry run shows the plan and changes nothing', async () => {
    const before = await p.db.users.countDocuments({});
    const plan = await runJson(['directory', 'sync', '--dry-run'], { env });
    expect(plan).toMatchObject({ dry_run: true, entries: 5, create: ['alice', 'bob'], update: [{ username: 'carol' }], leave: [] });
    expect(plan.skipped).toEqual([
      { entry: `uid=nomail,ou=people,${BASE}`, reason: 'no mail (an account needs an e-mail address)' },
      { entry: `uid=dave,ou=people,${BASE}`, reason: 'disabled in the directory (no account is made for it)' },
    ]);
    expect(await p.db.users.countDocuments({})).toBe(before);
  });

  test('sync creates and updates accounts with managers, teams and departments; a second run changes nothing', async () => {
    const out = await runJson(['directory', 'sync'], { env });
    expect(out).toMatchObject({ created: ['alice', 'bob'], left: [], invitations: { mailed: 0, unsent: 2, failed: 0 } });
    expect(out.updated).toEqual([{ username: 'carol', fields: expect.arrayContaining(['name', 'department', 'jobTitle', 'manager']) }]);
    expect(await p.db.users.findOne({ username: 'alice' })).toMatchObject({ name: 'Alice Archer', jobTitle: 'CTO', employeeNumber: '100', department: 'Engineering', teams: ['platform'], source: 'directory', active: true });
    expect(await p.db.users.findOne({ username: 'bob' })).toMatchObject({ manager: 'alice', teams: ['platform'] });
    expect(await p.db.users.findOne({ username: 'carol' })).toMatchObject({ name: 'Carol Cook', department: 'Design', manager: 'alice', source: 'directory' });
    expect((await p.db.users.findOne({ username: 'alice' }))!.directoryId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await runJson(['directory', 'sync'], { env });
    expect(again).toMatchObject({ created: [], updated: [], unchanged: 3, left: [] });
    const runs = await p.db.directoryRuns.find({}, { sort: { startedAt: -1 } }).toArray();
    expect(runs[0]).toMatchObject({ ok: true, trigger: 'cli', summary: { created: 0, unchanged: 3 } });
  });

  test('removed from the directory → left with every token revoked; disabled → left too', async () => {
    // carol keeps her own password (she had one); she signs in and holds tokens.
    const carol = await signInTokens(p, c, 'carol');
    await expectTokensWork(p, c, carol);
    await runJson(['user', 'set-password', 'bob', '--password-stdin'], { env, input: `${password('bob')}\n` });
    const bob = await signInTokens(p, c, 'bob');
    await admin((client) => client.del(`uid=carol,ou=people,${BASE}`));
    await admin((client) => client.modify(`uid=bob,ou=people,${BASE}`, [new Change({ operation: 'replace', modification: new Attribute({ type: 'employeeType', values: ['disabled'] }) })]));
    const out = await runJson(['directory', 'sync'], { env });
    expect(out.left).toEqual(['carol']);
    expect(out.updated).toEqual([{ username: 'bob', fields: ['employmentStatus'] }]);
    await expectLeft(p, c, 'carol', carol);
    await expectLeft(p, c, 'bob', bob);
    expect(await p.db.audit.countDocuments({ actor: 'cli', action: 'user.left' })).toBe(2);
    expect(await p.db.users.findOne({ username: 'carol' })).toMatchObject({ username: 'carol', employmentStatus: 'left' });
  });

  // The missing mapped group fails after the people were read: a failure part-way through the read.
  test('an empty answer, a wrong password, a directory that is down, a mapping to nobody, or a failure part-way changes nothing', async () => {
    const snapshot = JSON.stringify(await p.db.users.find({}, { sort: { username: 1 }, projection: { updatedAt: 0, sessionsEndedAt: 0 } }).toArray());
    const cases: [Record<string, string>, RegExp][] = [
      [{ LDAP_USER_FILTER: '(uid=nobody-here)' }, /returned nobody for \(uid=nobody-here\).*nothing was changed/],
      [{ LDAP_BIND_PASSWORD: 'wrong' }, /refused the bind as "cn=hrm-sync,dc=example,dc=org": wrong LDAP_BIND_DN or LDAP_BIND_PASSWORD\. Nothing was changed\./],
      [{ LDAP_URL: 'ldap://127.0.0.1:1' }, /cannot be reached .*Nothing was changed\./],
      [{ LDAP_ATTRIBUTE_MAP: '{"username":"description"}' }, /None of the 4 directory entries maps to a person .*no description/],
      [{ LDAP_GROUP_MAP: `{"cn=ghosts,ou=groups,${BASE}":"team:ghosts"}` }, /The group "cn=ghosts,ou=groups,dc=example,dc=org" in LDAP_GROUP_MAP does not exist/],
    ];
    for (const [extra, message] of cases) {
      const r = await runCli(['directory', 'sync'], { env: { ...env, ...extra } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('sync-password-1');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(JSON.stringify(await p.db.users.find({}, { sort: { username: 1 }, projection: { updatedAt: 0, sessionsEndedAt: 0 } }).toArray())).toBe(snapshot);
    const failed = await p.db.directoryRuns.find({ ok: false }).toArray();
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(failed)).not.toContain('sync-password-1');
    const unconfigured = await runCli(['directory', 'sync'], { env: { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test' } });
    expect(unconfigured.stderr).toMatch(/No directory is configured: set LDAP_URL/);
  });

  test('Active Directory preset: sAMAccountName, displayName, manager DN, userAccountControl disabled bit, objectGUID', () => {
    const settings = { attributes: PRESETS['active-directory'].attributes, groups: new Map() } as unknown as DirectorySettings;
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const entry = { dn: 'CN=Ada Lovelace,OU=Staff,DC=corp,DC=example', sAMAccountName: 'ALovelace', mail: 'ada@corp.example', displayName: 'Ada Lovelace', givenName: 'Ada', sn: 'Lovelace', department: 'Research', title: 'Analyst', manager: 'CN=Grace Hopper, OU=Staff,DC=corp,DC=example', employeeNumber: '42', userAccountControl: '512', objectGUID: guid };
    expect(mapEntry(entry, settings, new Map())).toEqual({
      dn: 'cn=ada lovelace,ou=staff,dc=corp,dc=example',
      id: '33221100-5544-7766-8899-aabbccddeeff',
      person: { username: 'alovelace', email: 'ada@corp.example', name: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace', department: 'Research', jobTitle: 'Analyst', employeeNumber: '42' },
      managerDn: 'cn=grace hopper,ou=staff,dc=corp,dc=example',
      disabled: false,
    });
    expect(mapEntry({ ...entry, userAccountControl: '514' }, settings, new Map())).toMatchObject({ disabled: true });
    expect(mapEntry({ ...entry, sAMAccountName: '' }, settings, new Map())).toEqual({ skip: 'no sAMAccountName (the username attribute, LDAP_ATTRIBUTE_MAP)' });
  });
});
