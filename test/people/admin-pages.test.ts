// The "Bring people in" admin page in Chromium (playwright-core): CSV upload → preview of the
// diff → apply; a SCIM connection made (token shown once, works) and revoked (401); a directory
// preview and sync against a real slapd with the last run listed. A leaver by the CSV page loses
// every token at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../support/provider';
import { startSlapd, type Slapd } from '../support/slapd';
import { launchBrowser, newContext, screenshot, signInWithForm, watchConsole } from '../browser/support/browser';
import { seriousViolations } from '../browser/support/axe';
import { createClients, expectLeft, password, signInTokens, type Clients } from './support';

const BASE = 'dc=example,dc=org';
const LDIF = [
  [`dn: ${BASE}`, 'objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example', ''].join('\n'),
  [`dn: uid=dora,${BASE}`, 'objectClass: inetOrgPerson', 'uid: dora', 'cn: Dora Directory', 'sn: Directory', 'mail: dora@example.org', 'title: Archivist', ''].join('\n'),
].join('\n');

describe('admin page: Bring people in', () => {
  let p: TestProvider;
  let browser: Browser;
  let ldap: Slapd;
  let c: Clients;
  let page: Page;
  let problems: string[];
  let dir: string;

  beforeAll(async () => {
    ldap = await startSlapd(BASE, LDIF);
    [p, browser] = await Promise.all([
      startTestProvider({ env: { LDAP_URL: ldap.url, LDAP_STARTTLS: 'false', LDAP_BIND_DN: ldap.rootDn, LDAP_BIND_PASSWORD: ldap.rootPassword, LDAP_BASE_DN: BASE, LDAP_SYNC_INTERVAL_SECONDS: '0', CSV_IMPORT_MAX_BYTES: '2048' } }),
      launchBrowser(),
    ]);
    c = await createClients(p);
    await p.createUser({ username: 'root', email: 'root@example.com', name: 'Ada Admin', password: 'admin password', admin: true });
    await p.createUser({ username: 'sam', email: 'sam@example.com', name: 'Sam Stays', password: password('sam') });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-admin-csv-'));
    const context = await newContext(browser, p.baseUrl);
    page = await context.newPage();
    problems = watchConsole(page);
    await page.goto('/accounts/login/?next=/admin/');
    await signInWithForm(page, 'root', 'admin password');
    await page.waitForURL(/\/admin\/$/);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
    await ldap?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CSV: upload, preview the diff (bad row by line), apply; a leaver loses every token', async () => {
    const tokens = await signInTokens(p, c, 'sam');
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Bring people in' }).click();
    await page.waitForURL(/\/admin\/people\/$/);
    expect(await seriousViolations(page)).toEqual([]);
    const file = path.join(dir, 'staff.csv');
    fs.writeFileSync(file, 'username,email,name,employment_status\nnina,nina@example.com,Nina New,active\nsam,sam@example.com,Sam Stays,left\nbad,nope,Bad,active\n');
    await page.getByLabel(/CSV file/).setInputFiles(file);
    await page.getByRole('button', { name: 'Preview the changes' }).click();
    await page.waitForSelector('#import-plan');
    await screenshot(page, 'admin-people-import-preview');
    const plan = await page.textContent('#import-plan');
    expect(plan).toMatch(/To create \(1\)\s*nina/);
    expect(plan).toMatch(/sam: employmentStatus/);
    expect(await page.textContent('#import-errors')).toContain('line 4: email must be a valid address');
    expect(await p.db.users.countDocuments({ username: 'nina' })).toBe(0);
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await page.waitForSelector('#import-summary');
    expect(await page.textContent('#import-summary')).toContain('Created 1, updated 1, unchanged 0, marked as left 0.');
    expect(await p.db.users.findOne({ username: 'nina' })).toMatchObject({ source: 'csv', active: true });
    await expectLeft(p, c, 'sam', tokens);
    expect(await p.db.audit.countDocuments({ actor: 'root', action: 'user.left', target: 'sam' })).toBe(1);

    // A file over the limit is refused with the limit named; nothing changes.
    await page.goto('/admin/people/');
    fs.writeFileSync(file, `username,email,name\n${'x'.repeat(3000)}\n`);
    await page.getByLabel(/CSV file/).setInputFiles(file);
    await page.getByRole('button', { name: 'Preview the changes' }).click();
    await page.waitForSelector('#import-error');
    expect(await page.textContent('#import-error')).toMatch(/larger than the import limit of 0\.0 MB/);
  });

  test('SCIM: create a connection (token shown once, works), revoke it (401)', async () => {
    await page.goto('/admin/people/');
    await page.getByLabel('New connection name').fill('Okta');
    await page.getByRole('button', { name: 'Create connection and show its token' }).click();
    await page.waitForSelector('#scim-token');
    const token = (await page.textContent('#scim-token'))!.trim();
    expect(token).toMatch(/^hrmscim_/);
    const ok = await fetch(`${p.baseUrl}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    await page.goto('/admin/people/');
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Revoke Okta' }).click();
    await page.waitForURL(/notice=scim-revoked/);
    expect(await page.textContent('#scim-connections')).toContain('Revoked');
    const refused = await fetch(`${p.baseUrl}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect(await p.db.audit.countDocuments({ actor: 'root', action: 'scim.connection_revoke' })).toBe(1);
  });

  test('directory: preview, then sync now; the last runs are listed', async () => {
    await page.goto('/admin/people/');
    await page.getByRole('button', { name: 'Preview the sync' }).click();
    await page.waitForSelector('#directory-outcome');
    expect(await page.textContent('#directory-outcome')).toContain('Preview: 1 to create');
    expect(await p.db.users.countDocuments({ username: 'dora' })).toBe(0);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForSelector('#directory-outcome');
    expect(await page.textContent('#directory-outcome')).toContain('Synced: 1 created');
    expect(await page.textContent('#directory-runs')).toMatch(/admin\s*1 created, 0 updated/);
    await screenshot(page, 'admin-people-directory');
    expect(await p.db.users.findOne({ username: 'dora' })).toMatchObject({ source: 'directory', jobTitle: 'Archivist' });
    expect(problems).toEqual([]);
  });
});
