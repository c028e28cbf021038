// Issue 20 E: the sealed "same pair" a rotated refresh token carries for the grace window
// (REFRESH_TOKEN_GRACE_SECONDS) is removed once the window has ended — by the sweeper, here every
// second — instead of staying on the token for its whole life. Removing it is a write to a token,
// so it must never undo a revocation that raced with it (FerretDB rewrites whole documents).
import { digest } from '../../provider/src/kernel/security/tokens';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, postForm } from '../support/oauth-requests';
import { waitUntil } from '../prod/processes';

const PASSWORD = 'correct horse battery';
let p: TestProvider;
let app: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider({ env: { REFRESH_TOKEN_GRACE_SECONDS: '1', SWEEP_INTERVAL_SECONDS: '1', TOKEN_RATE_LIMIT: '100000', LOGIN_RATE_LIMIT: '1000' } });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: PASSWORD });
  app = await p.createClient({ name: 'Password app', redirectUris: [], grants: ['password', 'refresh_token'] });
});
afterAll(() => p.stop());

const token = (form: Record<string, string>) => postForm(`${p.baseUrl}/o/token/`, form, { authorization: basic(app.client_id, app.client_secret) });
const stored = (refreshToken: string) => p.db.refreshTokens.findOne({ _id: digest(refreshToken) });

test('the grace-window seal serves a retry, then is gone once the window has ended; a later retry is reuse', async () => {
  const first = (await token({ grant_type: 'password', username: 'alice', password: PASSWORD, scope: 'read' })).json;
  const rotated = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
  expect(rotated.status).toBe(200);
  // Within the window: the same pair again, opened from the seal on the successor.
  const retry = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
  expect(retry.json).toMatchObject({ access_token: rotated.json.access_token, refresh_token: rotated.json.refresh_token });
  expect((await stored(rotated.json.refresh_token))?.sealedResponse).toEqual(expect.any(String));

  await waitUntil(async () => {
    const doc = await stored(rotated.json.refresh_token);
    return !!doc && doc.sealedResponse === undefined;
  }, 15_000, 'the sweeper to remove the seal');
  const doc = await stored(rotated.json.refresh_token);
  expect(doc).toMatchObject({ revokedAt: null });
  expect(doc).not.toHaveProperty('graceSeal');
  // The successor itself still works…
  expect((await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${rotated.json.access_token}` })).status).toBe(200);
  // …and the retired token presented after the window is reuse, as before: the grant is revoked.
  const late = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
  expect(late.json.error).toBe('invalid_grant');
  expect((await token({ grant_type: 'refresh_token', refresh_token: rotated.json.refresh_token })).json.error).toBe('invalid_grant');
});

test('removing a seal never undoes a revocation that raced with it', async () => {
  const first = (await token({ grant_type: 'password', username: 'alice', password: PASSWORD, scope: 'read' })).json;
  const rotated = (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).json;
  const { tokens } = p.running.services;
  // The admin ends alice's access (marker first, then the tokens)…
  await tokens.revokeForUser((await p.db.users.findOne({ username: 'alice' }))!._id);
  // …and a seal removal that read the token before that write lands after it (the lost update
  // FerretDB allows): simulated by putting the token back as the removal had read it.
  await p.db.refreshTokens.updateOne({ _id: digest(rotated.refresh_token) }, { $set: { revokedAt: null } });
  await new Promise((r) => setTimeout(r, 1100)); // past the 1 s window
  await tokens.dropEndedSeals(1);
  const doc = await stored(rotated.refresh_token);
  expect(doc?.sealedResponse).toBeUndefined();
  // The removal read the revocation markers after its write and marked the token again.
  expect(doc?.revokedAt).toEqual(expect.any(Date));
  expect((await token({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token })).json.error).toBe('invalid_grant');
});
