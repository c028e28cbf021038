import { startTestProvider, type TestProvider } from '../support/provider';
import { authorizeWithForms } from '../support/authorize-with-forms';

let p: TestProvider;
beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse' });
});
afterAll(async () => p.stop());

test('code flow with basic auth', async () => {
  const c = await p.createClient({ name: 'RC', redirectUris: ['http://rc.local/_oauth/hrm'], preset: 'rocketchat-login' });
  const url = `${p.baseUrl}/o/authorize/?client_id=${c.client_id}&redirect_uri=${encodeURIComponent('http://rc.local/_oauth/hrm')}&response_type=code&state=xyz&scope=read%20write`;
  const back = await authorizeWithForms(url, { username: 'alice', password: 'correct horse' });
  expect(back.searchParams.get('state')).toBe('xyz');
  const code = back.searchParams.get('code')!;
  const res = await fetch(`${p.baseUrl}/o/token/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: 'Basic ' + Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64') },
    body: new URLSearchParams({ code, redirect_uri: 'http://rc.local/_oauth/hrm', grant_type: 'authorization_code', state: 'xyz' }),
  });
  const body = await res.json();
  console.log(res.status, body);
  expect(res.status).toBe(200);
  const ui = await fetch(`${p.baseUrl}/api/v2/o/userinfo/`, { headers: { authorization: `Bearer ${body.access_token}` } });
  console.log(await ui.json());
});
