// Two-factor guessing (issue part E), over real HTTP against one real provider and FerretDB, with
// the provider's clock moved instead of waiting, and a real SMTP server receiving the notices:
// - after the per-window allowance of wrong codes, the account's second step is locked for one
//   window, then two, then four (observed over several windows); a correct password changes nothing;
// - the owner is told by mail at each lock;
// - the owner's correct code on a browser that completed a two-factor sign-in before is accepted
//   while the attacker holds the allowance and the lock;
// - the password grant answers an account that must still enrol exactly as a wrong password.
import { authenticator } from 'otplib';
import { ManualClock } from '../../provider/src/kernel/clock';
import { startTestProvider, type TestProvider } from '../support/provider';
import { HttpSession, hiddenFields, signIn, textOf } from '../web/support';
import { SmtpReceiver } from './smtp-receiver';

let p: TestProvider;
let smtp: SmtpReceiver;
const clock = new ManualClock();
const WINDOW = 60;
const totp = authenticator.clone({ step: 30, digits: 6 });

beforeAll(async () => {
  smtp = await new SmtpReceiver().start();
  p = await startTestProvider({
    clock,
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'sso@example.test',
      MAIL_POLL_SECONDS: '1',
      TWO_FACTOR_RATE_LIMIT: '3',
      TWO_FACTOR_IP_RATE_LIMIT: '1000',
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW),
      TWO_FACTOR_LOCK_MAX_SECONDS: '3600',
    },
  });
  await p.createUser({ username: 'olga', email: 'olga@example.test', name: 'Olga', password: 'olga password' });
});
afterAll(async () => {
  await p?.stop();
  await smtp?.stop();
});

/** Password step; returns a submit function for the second step in that session. */
async function passwordStep(http: HttpSession) {
  const login = await (await http.request(`${p.baseUrl}/accounts/login/`)).text();
  const res = await http.request(`${p.baseUrl}/accounts/login/`, { form: { ...hiddenFields(login, '/accounts/login/'), username: 'olga', password: 'olga password' } });
  expect(res.headers.get('location')).toBe('/accounts/login/two-factor/');
  const page = await (await http.request(`${p.baseUrl}/accounts/login/two-factor/`)).text();
  const fields = hiddenFields(page, '/accounts/login/two-factor/');
  return async (code: string) => {
    const r = await http.request(`${p.baseUrl}/accounts/login/two-factor/`, { form: { ...fields, code } });
    return { status: r.status, location: r.headers.get('location'), retryAfter: Number(r.headers.get('retry-after') ?? 0), html: await r.text() };
  };
}

/** The attacker: a fresh browser, the right password, wrong codes until refused; returns the statuses. */
async function guessUntilRefused(max = 6): Promise<{ statuses: number[]; retryAfter: number }> {
  const statuses: number[] = [];
  for (let i = 0; i < max; i++) {
    const submit = await passwordStep(new HttpSession());
    const r = await submit('000000');
    statuses.push(r.status);
    if (r.status === 429) return { statuses, retryAfter: r.retryAfter };
  }
  return { statuses, retryAfter: 0 };
}

/** Signs the browser out (its known-browser cookie stays, as in a real browser). */
async function signOut(http: HttpSession) {
  const page = await (await http.request(`${p.baseUrl}/accounts/profile/`)).text();
  const res = await http.request(`${p.baseUrl}/accounts/logout/`, { form: hiddenFields(page, '/accounts/logout/') });
  expect(res.status).toBe(200);
}

/** Moves the clock to just after the next rate-limit window starts, so a round of guesses never straddles two windows. */
function toNextWindow() {
  const ms = clock.now().getTime() % (WINDOW * 1000);
  clock.advance((WINDOW * 1000 - ms + 50) / 1000);
}

const lockMails = () => smtp.to('olga@example.test').filter((m) => /Too many wrong sign-in codes/.test(m.parsed.subject ?? ''));

test('locks double over several windows, the owner is mailed each time, and the owner’s known browser still gets in', async () => {
  // The owner enrols in their own browser (it becomes a known browser) and keeps the recovery codes.
  const owner = await signIn(p.baseUrl, 'olga', 'olga password');
  const setup = await (await owner.request(`${p.baseUrl}/accounts/two-factor/setup/`)).text();
  const secret = textOf(setup, 'manual-key')!.replace(/\s+/g, '');
  const enrolled = await owner.request(`${p.baseUrl}/accounts/two-factor/setup/`, { form: { ...hiddenFields(setup, '/accounts/two-factor/setup/'), code: totp.generate(secret) } });
  expect(enrolled.status).toBe(200);
  const recovery = [...(await enrolled.text()).matchAll(/\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/g)].map((m) => m[1]);
  expect(recovery.length).toBeGreaterThanOrEqual(2);
  expect(owner.cookie('hrm_sso_known_browser')).toBeTruthy();
  await smtp.waitFor((m) => m.envelopeTo.includes('olga@example.test') && /turned on/.test(m.parsed.subject ?? ''));

  // Window 1: three wrong codes, then refused; locked for one window.
  toNextWindow();
  let round = await guessUntilRefused();
  expect(round.statuses).toEqual([401, 401, 401, 429]);
  expect(round.retryAfter).toBeGreaterThan(WINDOW - 5);
  expect(round.retryAfter).toBeLessThanOrEqual(WINDOW);
  await smtp.waitFor(() => lockMails().length === 1);

  // While locked, the owner's browser (password + recovery code) is not refused.
  await signOut(owner);
  const ownerSubmit = await passwordStep(owner);
  const ok = await ownerSubmit(recovery[0]);
  expect(ok.status).toBe(303);
  // A fresh browser with the right password is still refused at once (the password resets nothing).
  expect((await (await passwordStep(new HttpSession()))('000000')).status).toBe(429);

  // Window 2 (after the first lock): three more guesses, then a lock of two windows.
  clock.advance(WINDOW + 1);
  toNextWindow();
  round = await guessUntilRefused();
  expect(round.statuses).toEqual([401, 401, 401, 429]);
  expect(round.retryAfter).toBeGreaterThan(2 * WINDOW - 5);
  await smtp.waitFor(() => lockMails().length === 2);
  clock.advance(WINDOW + 1);
  const stillLocked = await (await passwordStep(new HttpSession()))('000000');
  expect(stillLocked.status).toBe(429);
  expect(stillLocked.html).toContain('Too many wrong codes');

  // A later window: allowed again, and the next lock is four windows.
  clock.advance(WINDOW);
  toNextWindow();
  round = await guessUntilRefused();
  expect(round.statuses).toEqual([401, 401, 401, 429]);
  expect(round.retryAfter).toBeGreaterThan(4 * WINDOW - 5);
  const third = await smtp.waitFor(() => lockMails().length === 3);
  expect(lockMails()[2].parsed.text).toContain('your own browsers where you signed in before are not affected');
  expect(third).toBeTruthy();

  // The owner, again during the lock, on the known browser: in.
  await signOut(owner);
  const again = await (await passwordStep(owner))(recovery[1]);
  expect(again.status).toBe(303);
  // A recovery code used is a notice too.
  await smtp.waitFor(() => smtp.to('olga@example.test').filter((m) => /recovery code was used/.test(m.parsed.subject ?? '')).length >= 2);
  // Every refusal was a page, never a 5xx; the lock is in the database (shared by instances).
  const lock = await p.db.db.collection('two_factor_lockouts').findOne({ _id: (await p.running.services.users.byUsername('olga'))!._id } as never);
  expect(lock?.strikes).toBe(3);
});

test('the password grant refuses an account that must still enrol, exactly like a wrong password', async () => {
  const q = await startTestProvider({ env: { TWO_FACTOR_REQUIRED: 'everyone' } });
  try {
    await q.createUser({ username: 'pat', email: 'pat@example.test', name: 'Pat', password: 'pat password' });
    const c = await q.createClient({ name: 'Legacy', redirectUris: ['http://localhost/cb'], grants: ['password'], type: 'confidential' });
    const grant = (password: string) =>
      fetch(`${q.baseUrl}/o/token/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'password', username: 'pat', password }),
      });
    const right = await grant('pat password');
    const wrong = await grant('not the password');
    expect(right.status).toBe(wrong.status);
    expect(await right.json()).toEqual(await wrong.json());
    expect(right.status).toBe(400);
  } finally {
    await q.stop();
  }
});
