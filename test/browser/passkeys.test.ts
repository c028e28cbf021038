// Passkeys in Chromium with its virtual authenticator (DevTools protocol WebAuthn domain: ctap2,
// internal transport, resident keys, user verification): register two named passkeys, sign in
// with one as the second factor (amr in the ID token of a real code flow), passwordless sign-in
// where allowed and refused where not, another account's passkey, a replayed answer, a cloned
// authenticator (counter going backwards), removal, a registration answer from another origin,
// bad input, TWO_FACTOR_REQUIRED satisfied by a passkey, and the administrator's reset.
// One browser and one provider (plus a second one on the same database with other settings).
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { startTestProvider, type TestProvider } from '../support/provider';
import { launchBrowser, newContext, screenshot, signInWithForm, startServer, watchConsole } from './support/browser';
import { seriousViolations } from './support/axe';
import { basic, pkcePair } from '../support/oauth-requests';

type Credential = { credentialId: string; isResidentCredential: boolean; rpId?: string; privateKey: string; userHandle?: string; signCount: number };

let p: TestProvider;
let strict: TestProvider; // same database: passwordless off, two-factor required for everyone
let browser: Browser;
let base: string;
let strictBase: string;
let callback: { url: string; close(): Promise<void> };
let client: { client_id: string; client_secret: string };
const ids: Record<string, string> = {};
const PASSWORD = 'correct horse battery';

/** The provider as the browser must see it: WebAuthn needs a domain name (localhost), not an IP address. */
function useLocalhost(t: TestProvider): string {
  const url = t.baseUrl.replace('127.0.0.1', 'localhost');
  (t.config as { issuer: string }).issuer = url;
  return url;
}

beforeAll(async () => {
  [p, browser] = await Promise.all([startTestProvider({ env: { PASSKEY_PASSWORDLESS: 'true' } }), launchBrowser()]);
  base = useLocalhost(p);
  strict = await startTestProvider({ env: { PASSKEY_PASSWORDLESS: 'false', TWO_FACTOR_REQUIRED: 'everyone' }, database: { url: p.mongoUrl, port: 0, dir: '', stop: async () => undefined } });
  strictBase = useLocalhost(strict);
  for (const u of ['alice', 'bob', 'carol']) ids[u] = (await p.createUser({ username: u, email: `${u}@example.com`, name: u[0].toUpperCase() + u.slice(1), password: PASSWORD })).id;
  ids.root = (await p.createUser({ username: 'root', email: 'root@example.com', name: 'Root', password: PASSWORD, admin: true })).id;
  callback = await startServer((_req, res) => res.end('back at the app'));
  client = await p.createClient({ name: 'Team Wiki', preset: 'oidc-web', redirectUris: [`${callback.url}/cb`], skipAuthorization: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await strict?.stop();
  await p?.stop();
});

interface Device {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
  problems: string[];
}

/** A browser profile with one virtual platform authenticator (optionally holding copied credentials). */
async function device(baseUrl = base, credentials: Credential[] = [], opts: { synced?: boolean } = {}): Promise<Device> {
  const context = await newContext(browser, baseUrl);
  const page = await context.newPage();
  const problems = watchConsole(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true, ...(opts.synced ? { defaultBackupEligibility: true, defaultBackupState: true } : {}) },
  });
  for (const credential of credentials) await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
  return { context, page, cdp, authenticatorId, problems };
}

async function credentialsOf(d: Device): Promise<Credential[]> {
  return (await d.cdp.send('WebAuthn.getCredentials', { authenticatorId: d.authenticatorId })).credentials as Credential[];
}

/** Replaces the device's authenticator by a new, empty one (a second security key, say). */
async function swapAuthenticator(d: Device): Promise<void> {
  await d.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: d.authenticatorId });
  d.authenticatorId = (
    await d.cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } })
  ).authenticatorId;
}

async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto('/accounts/passkeys/');
  await page.getByLabel('Name').fill(name);
  await Promise.all([page.waitForURL(/notice=added/), page.getByRole('button', { name: 'Add a passkey' }).click()]);
  await page.locator('.notice').waitFor();
}

async function passwordStep(page: Page, username: string, next = '/accounts/profile/'): Promise<void> {
  await page.goto(`/accounts/login/?next=${encodeURIComponent(next)}`);
  await signInWithForm(page, username, PASSWORD);
}

/** A JSON post from inside the page (its cookies, its origin), as public/passkeys.js makes. */
async function postFromPage(page: Page, url: string, body: unknown, raw = false): Promise<{ status: number; json: any }> {
  return page.evaluate(
    async ({ url, body, raw }) => {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: raw ? String(body) : JSON.stringify(body) });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, json };
    },
    { url, body, raw },
  );
}

async function csrfOf(page: Page): Promise<string> {
  return (await page.locator('[data-csrf]').first().getAttribute('data-csrf'))!;
}

/** Options from the server, then the authenticator's answer made in the page (with the vendor library). */
async function assertionInPage(page: Page, optionsPath: string, override: Record<string, unknown> = {}): Promise<unknown> {
  const csrf = await csrfOf(page);
  const options = await postFromPage(page, optionsPath, { _csrf: csrf });
  expect(options.status).toBe(200);
  return page.evaluate(
    async (optionsJSON) => (window as any).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON }),
    { ...options.json, ...override },
  );
}

/** Waits until the element shows this text (an alert filled in by the page's script). */
async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).waitFor();
}

function idTokenClaims(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'));
}

let aliceLaptop: Device; // alice signed in; holds her second passkey's authenticator after registration
let laptopKey: Credential; // alice's "Laptop" passkey
let securityKey: Credential; // alice's "Security key" passkey

test('register two named passkeys; the list shows them with dates; audited', async () => {
  aliceLaptop = await device();
  const { page } = aliceLaptop;
  await passwordStep(page, 'alice');
  await page.waitForURL(/\/accounts\/profile\//);
  await addPasskey(page, 'Laptop');
  [laptopKey] = await credentialsOf(aliceLaptop);
  // The second passkey lives on another authenticator (the first refuses: excludeCredentials).
  await swapAuthenticator(aliceLaptop);
  await addPasskey(page, 'Security key');
  [securityKey] = await credentialsOf(aliceLaptop);

  const rows = page.locator('#passkey-list tbody tr');
  expect(await rows.count()).toBe(2);
  expect(await rows.nth(0).textContent()).toContain('Laptop');
  expect(await rows.nth(1).textContent()).toContain('Security key');
  expect(await rows.nth(1).textContent()).toContain('not yet');
  const stored = await p.db.passkeys.find({ userId: ids.alice }).sort({ createdAt: 1 }).toArray();
  expect(stored.map((s) => s.name)).toEqual(['Laptop', 'Security key']);
  expect(stored.map((s) => s._id).sort()).toEqual([laptopKey.credentialId, securityKey.credentialId].map((b) => Buffer.from(b, 'base64').toString('base64url')).sort());
  expect(stored.every((s) => s.deviceType === 'singleDevice' && typeof s.counter === 'number')).toBe(true);
  expect(await p.db.audit.countDocuments({ action: 'passkey.add', target: 'alice' })).toBe(2);
  expect(aliceLaptop.problems).toEqual([]);
});

/** axe (no serious or critical findings) and no sideways scrolling at 1280 and 360 px, light and dark at 360. */
async function accessible(page: Page, name: string): Promise<void> {
  for (const [width, scheme] of [[1280, 'light'], [360, 'light'], [360, 'dark']] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    const label = `${name}-${width}-${scheme}`;
    expect([label, await seriousViolations(page)]).toEqual([label, []]);
    expect([label, await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)]).toEqual([label, 0]);
    await screenshot(page, `passkeys-${label}`);
  }
  await page.setViewportSize({ width: 1180, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the passkey list, the sign-in page and the second step are accessible and fit a phone', async () => {
  await aliceLaptop.page.goto('/accounts/passkeys/');
  await accessible(aliceLaptop.page, 'list');
  const d = await device();
  await d.page.goto('/accounts/login/');
  await accessible(d.page, 'login');
  await signInWithForm(d.page, 'alice', PASSWORD);
  await d.page.getByRole('heading', { name: 'Confirm with your passkey' }).waitFor();
  await accessible(d.page, 'second-step');
  expect(d.problems).toEqual([]);
  await d.context.close();
});

test('a passkey is the second factor after the password: the ID token says pwd, hwk, mfa', async () => {
  const d = await device(base, [securityKey]);
  const { verifier, challenge } = pkcePair();
  const authorize = `${base}/o/authorize/?${new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: `${callback.url}/cb`, scope: 'openid profile', nonce: 'n-1', state: 's-1', code_challenge: challenge, code_challenge_method: 'S256' })}`;
  await d.page.goto(authorize);
  await d.page.waitForURL(/\/accounts\/login\//);
  await signInWithForm(d.page, 'alice', PASSWORD);
  await d.page.waitForURL(/\/accounts\/login\/two-factor\//);
  // Alice has passkeys and no authenticator app: only the passkey is offered.
  expect(await d.page.locator('input[name="code"]').count()).toBe(0);
  const before = (await p.db.passkeys.findOne({ _id: Buffer.from(securityKey.credentialId, 'base64').toString('base64url') }))!;
  await Promise.all([d.page.waitForURL(`${callback.url}/cb?**`), d.page.getByRole('button', { name: 'Use a passkey' }).click()]);
  const code = new URL(d.page.url()).searchParams.get('code')!;
  const token = await fetch(`${base}/o/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.client_id, client.client_secret) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${callback.url}/cb`, code_verifier: verifier }),
  }).then((r) => r.json());
  const claims = idTokenClaims(token.id_token);
  expect(claims.sub).toBe(ids.alice);
  expect(claims.amr).toEqual(['pwd', 'hwk', 'mfa']);
  const after = (await p.db.passkeys.findOne({ _id: before._id }))!;
  expect(after.counter).toBeGreaterThan(before.counter);
  expect(after.lastUsedAt).toBeInstanceOf(Date);
  expect(d.problems).toEqual([]);
  [securityKey] = await credentialsOf(d); // its counter moved on
  await d.context.close();
});

test('the password grant refuses an account with a passkey exactly as a wrong password', async () => {
  const app = await p.createClient({ name: 'Script', preset: 'generic', redirectUris: ['http://127.0.0.1:9/cb'], grants: ['password'] });
  const grant = (username: string, password: string) =>
    fetch(`${base}/o/token/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(app.client_id, app.client_secret) }, body: new URLSearchParams({ grant_type: 'password', username, password }) }).then(async (r) => ({ status: r.status, json: await r.json() }));
  expect((await grant('bob', PASSWORD)).status).toBe(200); // no second factor (yet)
  const withPasskey = await grant('alice', PASSWORD);
  const wrong = await grant('alice', 'not her password');
  expect(withPasskey.status).toBe(400);
  expect(withPasskey).toEqual(wrong);
});

test('a replayed answer is refused: twice at once only one signs in, and in another sign-in it is refused', async () => {
  const d = await device(base, [securityKey]);
  await passwordStep(d.page, 'alice');
  await d.page.waitForURL(/\/accounts\/login\/two-factor\//);
  const answer = await assertionInPage(d.page, '/accounts/login/two-factor/passkey/options/');
  const csrf = await csrfOf(d.page);
  const both = await Promise.all([0, 1].map(() => postFromPage(d.page, '/accounts/login/two-factor/passkey/', { _csrf: csrf, response: answer })));
  expect(both.filter((r) => r.status === 200)).toHaveLength(1);
  expect([400, 401]).toContain(both.find((r) => r.status !== 200)!.status);
  const refused = both.find((r) => r.status !== 200)!;
  expect(refused.json.error_description).toMatch(/already used|cancelled|no passkey request|already finished/);

  // The attacker knows the password too and replays the captured answer in their own sign-in.
  const attacker = await device(base, []);
  await passwordStep(attacker.page, 'alice');
  await attacker.page.waitForURL(/\/accounts\/login\/two-factor\//);
  const attackerCsrf = await csrfOf(attacker.page);
  expect((await postFromPage(attacker.page, '/accounts/login/two-factor/passkey/options/', { _csrf: attackerCsrf })).status).toBe(200);
  const replay = await postFromPage(attacker.page, '/accounts/login/two-factor/passkey/', { _csrf: attackerCsrf, response: answer });
  expect(replay.status).toBe(400);
  expect(replay.json.error_description).toBe('This passkey answer was made for another request. Reload the page and try again.');
  await attacker.page.goto('/accounts/profile/');
  await attacker.page.waitForURL(/\/accounts\/login\//);
  [securityKey] = await credentialsOf(d);
  await Promise.all([d.context.close(), attacker.context.close()]);
});

test('a cloned authenticator (its counter behind the server’s) is refused and audited', async () => {
  const clone = await device(base, [{ ...securityKey, signCount: 0 }]);
  await passwordStep(clone.page, 'alice');
  await clone.page.waitForURL(/\/accounts\/login\/two-factor\//);
  await clone.page.getByRole('button', { name: 'Use a passkey' }).click();
  await waitForText(clone.page, '#passkey-status', 'counter went backwards');
  expect(clone.page.url()).toContain('/accounts/login/two-factor/');
  expect(await p.db.audit.findOne({ action: 'passkey.clone_suspected', target: 'alice' })).toMatchObject({ detail: { name: 'Security key' } });
  await clone.context.close();
});

let bobKey: Credential;

test('another account’s passkey is refused at the second step', async () => {
  const bob = await device();
  await passwordStep(bob.page, 'bob');
  await bob.page.waitForURL(/\/accounts\/profile\//);
  await addPasskey(bob.page, 'Bob phone');
  [bobKey] = await credentialsOf(bob);
  await bob.context.close();

  // Alice's password, Bob's passkey: the authenticator answers Alice's challenge with Bob's key.
  const d = await device(base, [bobKey]);
  await passwordStep(d.page, 'alice');
  await d.page.waitForURL(/\/accounts\/login\/two-factor\//);
  const answer = await assertionInPage(d.page, '/accounts/login/two-factor/passkey/options/', { allowCredentials: [] });
  const r = await postFromPage(d.page, '/accounts/login/two-factor/passkey/', { _csrf: await csrfOf(d.page), response: answer });
  expect(r.status).toBe(401);
  expect(r.json).toEqual({ error: 'other_account', error_description: 'This passkey is not registered for the account signing in. Use one of your own passkeys.' });
  await d.page.goto('/accounts/profile/');
  await d.page.waitForURL(/\/accounts\/login\//);
  await d.context.close();
});

test('with an authenticator app and a passkey, the second step offers both, also after a wrong code', async () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  expect(await p.running.services.twoFactor.enable(ids.bob, secret, 1)).toHaveLength(10);
  const d = await device(base, [bobKey]);
  await passwordStep(d.page, 'bob');
  await d.page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await d.page.getByLabel('Code').fill('000000');
  await Promise.all([d.page.waitForLoadState('load'), d.page.getByRole('button', { name: 'Verify and sign in' }).click()]);
  await waitForText(d.page, '#code-error', 'That code is not right');
  // The passkey still works from the page shown again.
  await Promise.all([d.page.waitForURL(/\/accounts\/profile\//), d.page.getByRole('button', { name: 'Use a passkey' }).click()]);
  expect(await d.page.locator('.topbar .who').textContent()).toBe('Bob');
  await p.running.services.twoFactor.reset(ids.bob);
  await d.context.close();
});

test('passwordless sign-in with a discoverable passkey where allowed: amr hwk, user, mfa on the session', async () => {
  const d = await device(base, [laptopKey]);
  await d.page.goto('/accounts/login/?next=/accounts/sessions/');
  await Promise.all([d.page.waitForURL(/\/accounts\/sessions\//), d.page.getByRole('button', { name: 'Sign in with a passkey' }).click()]);
  expect(await d.page.locator('.topbar .who').textContent()).toBe('Alice');
  const session = await p.db.db.collection('sessions').findOne({ 'session.userId': ids.alice }, { sort: { 'session.authTime': -1 } });
  expect(session?.session.amr).toEqual(['hwk', 'user', 'mfa']);
  expect(d.problems).toEqual([]);
  await d.context.close();
});

test('passwordless sign-in is refused where the administrator has not allowed it', async () => {
  const d = await device(strictBase, [laptopKey]);
  await d.page.goto('/accounts/login/');
  expect(await d.page.getByRole('button', { name: 'Sign in with a passkey' }).count()).toBe(0);
  const csrf = (await d.page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
  for (const path of ['/accounts/login/passkey/options/', '/accounts/login/passkey/']) {
    const r = await postFromPage(d.page, path, { _csrf: csrf, response: {} });
    expect(r.status).toBe(403);
    expect(r.json.error).toBe('passwordless_disabled');
    expect(r.json.error_description).toMatch(/not enabled here/);
  }
  await d.context.close();
});

test('under TWO_FACTOR_REQUIRED a passkey counts as the second factor; the last one cannot be removed', async () => {
  const d = await device(strictBase);
  await d.page.goto('/accounts/login/?next=/accounts/profile/');
  await signInWithForm(d.page, 'carol', PASSWORD);
  await d.page.waitForURL(/\/accounts\/two-factor\/setup\//);
  await d.page.getByRole('link', { name: 'add a passkey' }).waitFor();
  await addPasskey(d.page, 'Carol laptop');
  await d.page.goto('/accounts/profile/');
  expect(d.page.url()).toContain('/accounts/profile/');
  await d.page.goto('/accounts/passkeys/');
  await d.page.getByRole('button', { name: 'Remove the passkey Carol laptop' }).click();
  await waitForText(d.page, '#form-error', 'only second factor');
  expect(await strict.db.passkeys.countDocuments({ userId: ids.carol })).toBe(1);
  await d.context.close();
});

test('a removed passkey no longer signs in', async () => {
  const { page } = aliceLaptop;
  await page.goto('/accounts/passkeys/');
  await Promise.all([page.waitForURL(/notice=removed/), page.getByRole('button', { name: 'Remove the passkey Laptop' }).click()]);
  expect(await page.locator('#passkey-list tbody tr').count()).toBe(1);
  expect(await p.db.audit.countDocuments({ action: 'passkey.remove', target: 'alice' })).toBe(1);

  const d = await device(base, [laptopKey]);
  await d.page.goto('/accounts/login/');
  await d.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await waitForText(d.page, '#passkey-status', 'not registered here');
  expect(d.page.url()).toContain('/accounts/login/');
  await d.context.close();
});

test('a registration answer made for another origin is refused; nothing is added', async () => {
  const { page } = aliceLaptop;
  await swapAuthenticator(aliceLaptop); // an authenticator without a passkey for this account yet
  await page.goto('/accounts/passkeys/');
  const csrf = await csrfOf(page);
  const options = await postFromPage(page, '/accounts/passkeys/options/', { _csrf: csrf });
  expect(options.status).toBe(200);
  expect(options.json.rp.id).toBe('localhost');
  const answer = await page.evaluate(async (optionsJSON) => (window as any).SimpleWebAuthnBrowser.startRegistration({ optionsJSON }), options.json);
  // A phishing page at another origin relays the challenge: the browser writes that origin in clientDataJSON.
  const clientData = JSON.parse(Buffer.from(answer.response.clientDataJSON, 'base64url').toString('utf8'));
  expect(clientData.origin).toBe(base);
  const forged = { ...answer, response: { ...answer.response, clientDataJSON: Buffer.from(JSON.stringify({ ...clientData, origin: 'https://sso.example.evil' })).toString('base64url') } };
  const before = await p.db.passkeys.countDocuments({ userId: ids.alice });
  const r = await postFromPage(page, '/accounts/passkeys/', { _csrf: csrf, name: 'Evil', response: forged });
  expect(r.status).toBe(400);
  expect(r.json).toEqual({ error: 'wrong_origin', error_description: `This passkey answer was made for another site, not ${base}, so it was refused and nothing was changed.` });
  expect(await p.db.passkeys.countDocuments({ userId: ids.alice })).toBe(before);
});

test('bad input to the passkey endpoints gets 400 with a sentence, never a 5xx', async () => {
  const { page } = aliceLaptop;
  await page.goto('/accounts/passkeys/');
  const csrf = await csrfOf(page);
  const cases: Array<[string, unknown, boolean, RegExp]> = [
    ['/accounts/passkeys/', '{"_csrf": "', true, /not valid JSON/],
    ['/accounts/passkeys/', { _csrf: csrf }, false, /answer is missing/],
    // No options were asked for: there is no challenge in the session.
    ['/accounts/passkeys/', { _csrf: csrf, response: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'oA' } } }, false, /no passkey request waiting/],
    ['/accounts/login/passkey/', { _csrf: csrf, response: 'x' }, false, /no passkey request waiting/],
    ['/accounts/login/two-factor/passkey/', { _csrf: csrf, response: {} }, false, /Enter your password again/],
  ];
  for (const [path, body, raw, message] of cases) {
    const r = await postFromPage(page, path, body, raw);
    expect([path, r.status]).toEqual([path, 400]);
    expect(r.json.error_description).toMatch(message);
    expect(r.json.error_description).toMatch(/\.$/);
  }
  // A challenge is asked for, then a malformed answer: refused, and the challenge is used up.
  expect((await postFromPage(page, '/accounts/passkeys/options/', { _csrf: csrf })).status).toBe(200);
  const bad = await postFromPage(page, '/accounts/passkeys/', { _csrf: csrf, response: { id: 'not base64!', type: 'public-key' } });
  expect(bad.status).toBe(400);
  expect(bad.json.error).toBe('malformed');
  // Without the page's token: 403 in JSON, not a page.
  const forged = await postFromPage(page, '/accounts/passkeys/options/', { _csrf: 'nope' });
  expect(forged.status).toBe(403);
  expect(forged.json.error_description).toMatch(/Reload the page/);
});

test('the administrator’s two-factor reset removes every passkey (audited)', async () => {
  expect(await p.db.passkeys.countDocuments({ userId: ids.alice })).toBe(1);
  const admin = await device();
  await admin.page.goto('/accounts/login/?next=/admin/');
  await signInWithForm(admin.page, 'root', PASSWORD);
  await admin.page.goto(`/admin/users/${ids.alice}/`);
  expect(await admin.page.locator('#admin-passkeys').textContent()).toBe('1 passkey registered.');
  await Promise.all([admin.page.waitForURL(/notice=two-factor-reset/), admin.page.getByRole('button', { name: 'Reset two-factor sign-in' }).click()]);
  expect(await p.db.passkeys.countDocuments({ userId: ids.alice })).toBe(0);
  expect(await p.db.audit.findOne({ action: 'two_factor.reset', target: 'alice' })).toMatchObject({ actor: 'root', detail: { by: 'admin', app: false, passkeysRemoved: 1 } });
  // Alice now signs in with her password alone.
  const d = await device();
  await passwordStep(d.page, 'alice');
  await d.page.waitForURL(/\/accounts\/profile\//);
  await Promise.all([admin.context.close(), d.context.close(), aliceLaptop.context.close()]);
});
