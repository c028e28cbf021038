// `hrm-sso user import` / `user export` from the outside (the real CLI against a real provider on
// FerretDB): the diff of a dry run, bad rows by line with no change, a re-run that changes nothing,
// a leaver by CSV losing every token at once, --match, --deactivate-missing, and bad files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, runJson } from '../cli/run-cli';
import { startTestProvider, type TestProvider } from '../support/provider';
import { createClients, expectLeft, expectTokensWork, password, signInTokens, type Clients } from './support';

const HEADER = 'username,email,name,given_name,family_name,department,job_title,manager,employee_number,teams,employment_status,leave_until,left_at,roles';

describe('CSV import and export (CLI)', () => {
  let p: TestProvider;
  let c: Clients;
  let env: Record<string, string>;
  let dir: string;

  function file(name: string, text: string | Buffer): string {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  }

  beforeAll(async () => {
    p = await startTestProvider();
    env = { MONGO_URL: p.mongoUrl, MONGO_DB: 'hrm_test', CSV_IMPORT_MAX_BYTES: '4096' };
    c = await createClients(p);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-csv-'));
    await p.createUser({ username: 'boss', email: 'boss@example.test', name: 'Grace Boss', password: password('boss'), admin: true });
    await p.createUser({ username: 'leo', email: 'leo@example.test', name: 'Leo Leaver', password: password('leo') });
    await p.createUser({ username: 'stay', email: 'stay@example.test', name: 'Stay Put', password: password('stay') });
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const staff = [
    HEADER,
    'ada,Ada@Example.test,Ada Lovelace,Ada,Lovelace,Research,Analyst,boss,E-1,"platform, data",active,,,lead',
    // Her manager is created further down the same file.
    'bob,bob@example.test,Bob Builder,,,Engineering,Engineer,E-3,E-2,platform,,,,',
    'cy,cy@example.test,"Cy ""Quotes"" Young",,,Engineering,Lead,boss,E-3,,on_leave,2099-01-31,,',
    'leo,leo@example.test,Leo Leaver,,,Sales,,,E-4,,active,,,',
    'bad,not-an-email,Bad Row,,,,,,,,,,,',
    'ghost,ghost@example.test,Ghost,,,,,nobody,,,,,,',
    'twice,ada@example.test,Twice,,,,,,,,,,,',
  ].join('\n');

  test('dry run prints the diff and changes nothing; bad rows are named by line', async () => {
    const f = file('staff.csv', staff);
    const before = await p.db.users.countDocuments({});
    const r = await runCli(['--json', 'user', 'import', f, '--dry-run'], { env });
    expect(r.code).toBe(1);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ dry_run: true, match: 'username', unchanged: 0, deactivate: [] });
    expect(plan.create.map((x: { username: string }) => x.username)).toEqual(['ada', 'bob', 'cy']);
    // Empty cells clear their field (leo's name parts); a column left out keeps it.
    expect(plan.update).toEqual([{ line: 5, username: 'leo', fields: ['givenName', 'familyName', 'department', 'employeeNumber'] }]);
    expect(plan.errors).toEqual([
      { line: 6, message: 'email must be a valid address' },
      { line: 7, message: expect.stringMatching(/manager "nobody" is neither a username nor an employee number/) },
      { line: 8, message: expect.stringMatching(/email "ada@example.test" is also on line 2/) },
    ]);
    expect(r.stderr).toMatch(/^Error: 3 rows were not imported \(lines 6, 7, 8\)/);
    expect(await p.db.users.countDocuments({})).toBe(before);
    const human = await runCli(['user', 'import', f, '--dry-run'], { env });
    expect(human.stdout).toContain('To create (3): ada, bob, cy');
    expect(human.stdout).toContain('  leo: givenName, familyName, department, employeeNumber');
    expect(human.stdout).toContain('  line 6: email must be a valid address');
    expect(human.stdout).toContain('Dry run: nothing was changed.');
  });

  test('import applies the good rows; a re-run of the same file changes nothing', async () => {
    const f = file('staff.csv', staff);
    const r = await runCli(['--json', 'user', 'import', f], { env });
    expect(r.code).toBe(1); // three bad rows, reported; the rest applied
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ created: ['ada', 'bob', 'cy'], updated: [{ username: 'leo' }], left: [] });
    expect(out.errors.map((e: { line: number }) => e.line)).toEqual([6, 7, 8]);
    // SMTP is not configured: the invitations wait for `user invite-links`.
    expect(out.invitations).toEqual({ mailed: 0, unsent: 3, failed: 0 });
    const ada = await p.db.users.findOne({ username: 'ada' });
    expect(ada).toMatchObject({ email: 'ada@example.test', givenName: 'Ada', department: 'Research', manager: 'boss', employeeNumber: 'E-1', teams: ['platform', 'data'], hrRoles: ['lead'], active: true, source: 'csv' });
    expect(ada!.passwordHash).toBeFalsy();
    expect(await p.db.users.findOne({ username: 'bob' })).toMatchObject({ manager: 'cy' });
    expect(await p.db.users.findOne({ username: 'cy' })).toMatchObject({ name: 'Cy "Quotes" Young', employmentStatus: 'on_leave', leaveUntil: new Date('2099-01-31T00:00:00Z') });
    expect(await p.db.users.countDocuments({ username: { $in: ['bad', 'ghost', 'twice'] } })).toBe(0);
    expect(await p.db.audit.countDocuments({ actor: 'cli', action: 'user.create' })).toBe(3);
    const invite = await p.db.audit.countDocuments({ action: 'user.invite' });
    expect(invite).toBe(3);

    const again = await runJson(['user', 'import', file('good.csv', staff.split('\n').slice(0, 5).join('\n'))], { env });
    expect(again).toMatchObject({ created: [], updated: [], unchanged: 4, left: [], errors: [] });
  });

  test('export writes the same columns, neutralises formulas, and imports back unchanged', async () => {
    await p.db.users.updateOne({ username: 'stay' }, { $set: { jobTitle: '=cmd|" /C calc"!A0', department: '+SUM(1,2)' } });
    const r = await runCli(['user', 'export'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(HEADER);
    const stay = lines.find((l) => l.startsWith('stay,'))!;
    expect(stay).toContain(`'+SUM(1,2)`);
    expect(stay).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(r.stdout).not.toMatch(/(^|,)[=+@]/m);
    const back = await runJson(['user', 'import', file('export.csv', r.stdout)], { env });
    expect(back).toMatchObject({ created: [], updated: [], errors: [] });
    expect(await p.db.users.findOne({ username: 'stay' })).toMatchObject({ jobTitle: '=cmd|" /C calc"!A0', department: '+SUM(1,2)' });
    const json = await runJson(['user', 'export', '--format', 'json'], { env });
    expect(json.find((u: { username: string }) => u.username === 'ada')).toMatchObject({ email: 'ada@example.test', teams: ['platform', 'data'], employment_status: 'active', manager: 'boss' });
  });

  test('a leaver by CSV loses every token at once', async () => {
    const tokens = await signInTokens(p, c, 'leo');
    await expectTokensWork(p, c, tokens);
    const f = file('leaver.csv', `username,employment_status,left_at\nleo,left,2026-11-30\n`);
    const out = await runJson(['user', 'import', f], { env });
    expect(out.updated).toEqual([{ username: 'leo', fields: ['employmentStatus', 'leftAt'] }]);
    await expectLeft(p, c, 'leo', tokens);
    expect(await p.db.users.findOne({ username: 'leo' })).toMatchObject({ leftAt: new Date('2026-11-30T00:00:00Z') });
    expect(await p.db.audit.countDocuments({ actor: 'cli', action: 'user.left', target: 'leo' })).toBe(1);
  });

  test('--match employee_number and --deactivate-missing (administrators and named rows excepted)', async () => {
    const tokens = await signInTokens(p, c, 'stay');
    const f = file('by-number.csv', 'employee_number,username,job_title\nE-1,ada,Chief Analyst\nE-2,bob,Engineer\nE-3,cy,Lead\n');
    const dry = await runJson(['user', 'import', f, '--match', 'employee_number', '--deactivate-missing', '--dry-run'], { env });
    expect(dry.update).toEqual([{ line: 2, username: 'ada', fields: ['jobTitle'] }]);
    expect(dry.deactivate).toEqual(['stay']); // boss is an administrator; leo has already left
    const wrong = await runCli(['user', 'import', file('wrong.csv', 'employee_number,username\nE-1,adam\n'), '--match', 'employee_number'], { env });
    expect(wrong.stdout).toMatch(/line 2: the username "adam" differs from the account matched by employee_number \("ada"\)/);
    const out = await runJson(['user', 'import', f, '--match', 'employee_number', '--deactivate-missing'], { env });
    expect(out.left).toEqual(['stay']);
    await expectLeft(p, c, 'stay', tokens);
    const empty = await runJson(['user', 'import', file('empty.csv', 'username,email\n'), '--deactivate-missing', '--dry-run'], { env });
    expect(empty.deactivate).toEqual([]);
  });

  test('bad files: clear one-line errors, nothing changed', async () => {
    const before = JSON.stringify(await p.db.users.find({}, { sort: { username: 1 } }).toArray());
    const cases: [string | Buffer, RegExp][] = [
      ['username,email,salary\nx,x@example.test,1\n', /Unknown column "salary"\. The columns are: username, email/],
      ['email,name\nx@example.test,X\n', /no "username" column/],
      ['username,email\n"ada,ada@example.test\n', /not valid CSV \(line \d+\)/],
      [Buffer.from('username,name\nzoe,Zo\xe9\n', 'latin1'), /not UTF-8/],
      ['', /The file is empty/],
      [`${HEADER}\n${'x'.repeat(5000)}\n`, /limit is 0\.0 MB \(CSV_IMPORT_MAX_BYTES\)/],
      ['username,username\na,b\n', /appears twice/],
    ];
    for (const [text, message] of cases) {
      const r = await runCli(['user', 'import', file('bad.csv', text)], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const wrongCount = await runCli(['user', 'import', file('cells.csv', 'username,email,name\nnew1,new1@example.test\n')], { env });
    expect(wrongCount.stdout).toMatch(/line 2: has 2 cells but the header has 3 columns/);
    const missing = await runCli(['user', 'import', path.join(dir, 'nope.csv')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*nope\.csv: no such file/);
    const badMatch = await runCli(['user', 'import', file('x.csv', 'username\nada\n'), '--match', 'phone'], { env });
    expect(badMatch.code).toBe(2);
    expect(JSON.stringify(await p.db.users.find({}, { sort: { username: 1 } }).toArray())).toBe(before);
  });
});
