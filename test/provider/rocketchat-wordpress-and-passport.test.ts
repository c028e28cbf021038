// Rocket.Chat 9 Community login through its built-in WordPress provider (server type "custom")
// and Rocket.Chat 8.5+'s passport flow, against the provider:
// - the WordPress service's literal requests (token via payload: credentials in the body;
//   identity via header and via ?access_token=), checking every field that service reads;
// - the real npm passport-oauth2 Strategy configured as Rocket.Chat's CustomOAuthStrategy
//   configures it (state store, PKCE S256, body credentials, identity by header or query),
//   for the Custom OAuth and the WordPress shapes, through login and userinfo;
// - the ?close redirect variant, and what prompt=consent does per preset.
import { Strategy, type StrategyOptions } from 'passport-oauth2';
import { authorizeWithForms } from '../support/authorize-with-forms';
import { HttpSession } from '../support/http-session';
import { getJson, obtainCode, postForm } from '../support/oauth-requests';
import { startTestProvider, type TestProvider } from '../support/provider';

const SITE = 'https://chat.example.com';
const ALICE = { username: 'alice', password: 'correct horse battery' };
let p: TestProvider;
let wordpress: { client_id: string; client_secret: string };
let custom: { client_id: string; client_secret: string };

beforeAll(async () => {
  p = await startTestProvider();
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: ALICE.password, department: 'Finance', jobTitle: 'Controller' });
  wordpress = await p.createClient({ name: 'Rocket.Chat (WordPress)', redirectUris: [`${SITE}/_oauth/wordpress`], preset: 'rocketchat-wordpress' });
  custom = await p.createClient({ name: 'Rocket.Chat (Custom OAuth)', redirectUris: [`${SITE}/_oauth/hrm`], preset: 'rocketchat-login' });
});
afterAll(() => p.stop());

/** What Rocket.Chat's CustomOAuth reads from an identity: id via its normalizers, name, username, email. */
function rocketChatView(identity: Record<string, any>) {
  const id = identity.id ?? identity._id ?? identity.ID ?? identity.user_id ?? identity.sub ?? identity.userid;
  const name = identity.name || identity.username || identity.nickname || identity.preferred_username;
  return { id, name, username: identity.username, email: identity.email };
}

describe('the WordPress service (server type custom), request by request', () => {
  test('preset: confidential, code + refresh, both redirect URIs registered (with ?close), consent policy for a login client', async () => {
    const doc = await p.db.clients.findOne({ _id: wordpress.client_id });
    expect(doc).toMatchObject({ preset: 'rocketchat-wordpress', type: 'confidential', grants: ['authorization_code', 'refresh_token'], redirectUris: [`${SITE}/_oauth/wordpress`, `${SITE}/_oauth/wordpress?close`], allowQueryCredentials: false, alwaysAskConsent: false, honourPromptConsent: false });
  });

  test.each(['header', 'payload'] as const)('code → token in the payload → identity via %s: every field the service reads', async (identityVia) => {
    const redirect = `${SITE}/_oauth/wordpress`;
    const state = `wp-${identityVia}`;
    const { code } = await obtainCode(p.baseUrl, { client_id: wordpress.client_id, redirect_uri: redirect, state, scope: 'read write' }, ALICE);
    // Meteor's OAuth: form body with the credentials (Token Sent Via: payload, WordPress' default).
    const token = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: redirect, grant_type: 'authorization_code', state, client_id: wordpress.client_id, client_secret: wordpress.client_secret });
    expect(token.status).toBe(200);
    expect(token.json).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    const at = token.json.access_token as string;
    const identity = identityVia === 'header'
      ? await getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${at}` })
      : await getJson(`${p.baseUrl}/api/v2/o/userinfo/?access_token=${encodeURIComponent(at)}`);
    expect(identity.status).toBe(200);
    expect(typeof identity.json.id).toBe('string');
    expect(identity.json.sub).toBe(identity.json.id);
    expect(rocketChatView(identity.json)).toEqual({ id: identity.json.sub, name: 'Alice Smith', username: 'alice', email: 'alice@example.com' });
  });

  test('a wrong secret in the payload and a redirect URI that is not registered are refused with RFC 6749 errors', async () => {
    const redirect = `${SITE}/_oauth/wordpress`;
    const { code } = await obtainCode(p.baseUrl, { client_id: wordpress.client_id, redirect_uri: redirect, state: 's', scope: 'read write' }, ALICE);
    const wrong = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: redirect, grant_type: 'authorization_code', client_id: wordpress.client_id, client_secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const page = await fetch(`${p.baseUrl}/o/authorize/?response_type=code&client_id=${wordpress.client_id}&redirect_uri=${encodeURIComponent(`${SITE}/_oauth/hrm`)}`);
    expect(page.status).toBe(400);
  });

  test('the mobile app\'s ?close variant is accepted exactly, other variants are not', async () => {
    const close = `${SITE}/_oauth/wordpress?close`;
    const { code, back } = await obtainCode(p.baseUrl, { client_id: wordpress.client_id, redirect_uri: close, state: 'm', scope: 'read write' }, ALICE);
    expect(back.pathname).toBe('/_oauth/wordpress');
    expect(back.searchParams.has('close')).toBe(true);
    const token = await postForm(`${p.baseUrl}/o/token/`, { code, redirect_uri: close, grant_type: 'authorization_code', client_id: wordpress.client_id, client_secret: wordpress.client_secret });
    expect(token.status).toBe(200);
    for (const variant of [`${SITE}/_oauth/wordpress?close=1`, `${SITE}/_oauth/wordpress/`, `${SITE}/_oauth/wordpress?closeX`]) {
      const res = await fetch(`${p.baseUrl}/o/authorize/?response_type=code&client_id=${wordpress.client_id}&redirect_uri=${encodeURIComponent(variant)}`);
      expect([variant, res.status]).toEqual([variant, 400]);
    }
  });
});

/** Runs one passport-oauth2 `authenticate` step and reports what the Strategy did. */
function step(strategy: Strategy, req: any, options: object = {}): Promise<{ redirect?: string; user?: any; fail?: unknown; error?: unknown }> {
  return new Promise((resolve) => {
    const s = Object.create(strategy) as Strategy & Record<string, unknown>;
    s.redirect = (url: string) => resolve({ redirect: url });
    s.success = (user: unknown) => resolve({ user });
    s.fail = (challenge: unknown) => resolve({ fail: challenge ?? 'failed' });
    s.error = (error: unknown) => resolve({ error });
    s.authenticate(req, options);
  });
}

/** passport-oauth2 configured as Rocket.Chat's CustomOAuthStrategy does (app/custom-oauth/server/customOAuth.ts). */
function rocketChatStrategy(name: string, client: { client_id: string; client_secret: string }, identityVia: 'header' | 'payload', tokenRequests: Array<{ body: string; authorization?: string }>) {
  const options: StrategyOptions = {
    authorizationURL: `${p.baseUrl}/o/authorize/`,
    tokenURL: `${p.baseUrl}/o/token/`,
    clientID: client.client_id,
    clientSecret: client.client_secret,
    callbackURL: `${SITE}/_oauth/${name}`,
    state: true,
    pkce: true,
    scope: 'read write',
  };
  const strategy = new Strategy(options, (accessToken: string, _refreshToken: string, profile: any, done: (e: unknown, u?: unknown) => void) => done(null, { accessToken, profile }));
  const oauth2 = (strategy as any)._oauth2;
  if (identityVia === 'header') oauth2.useAuthorizationHeaderforGET(true);
  // Record the token requests node-oauth sends (credentials must be in the body, never in the URL).
  const request = oauth2._request.bind(oauth2);
  oauth2._request = (method: string, url: string, headers: Record<string, string>, body: string, accessToken: string, cb: unknown) => {
    if (url.startsWith(options.tokenURL)) tokenRequests.push({ body, authorization: headers.Authorization });
    return request(method, url, headers, body, accessToken, cb);
  };
  strategy.userProfile = (accessToken: string, done: (err: unknown, profile?: unknown) => void) => {
    oauth2.get(`${p.baseUrl}/api/v2/o/userinfo/`, accessToken, (err: any, body: any, res: any) => {
      if (err || res?.statusCode !== 200) return done(new Error(`identity failed: ${err?.statusCode ?? res?.statusCode}`));
      done(null, JSON.parse(String(body)));
    });
  };
  return strategy;
}

describe('Rocket.Chat\'s passport flow with the real passport-oauth2', () => {
  test.each([
    ['hrm', 'Custom OAuth', 'header'],
    ['hrm', 'Custom OAuth', 'payload'],
    ['wordpress', 'WordPress', 'payload'],
    ['wordpress', 'WordPress', 'header'],
  ] as const)('%s (%s shape), identity via %s: login with state + PKCE S256, body credentials, userinfo', async (name, _shape, identityVia) => {
    const client = name === 'wordpress' ? wordpress : custom;
    const tokenRequests: Array<{ body: string; authorization?: string }> = [];
    const strategy = rocketChatStrategy(name, client, identityVia, tokenRequests);
    const session: Record<string, any> = {};

    // 1. /_oauth/<name>: passport redirects to the provider with state and an S256 challenge —
    //    and without prompt, which Rocket.Chat asks for but passport-oauth2 1.8 does not forward.
    const start = await step(strategy, { query: {}, session, headers: {} }, { scope: 'read write', prompt: 'consent' });
    const authorize = new URL(start.redirect!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toEqual(expect.any(String));
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${SITE}/_oauth/${name}`);
    expect(authorize.searchParams.has('prompt')).toBe(false);

    // 2. Sign-in and consent at the provider, back to the callback.
    const back = await authorizeWithForms(authorize.href, ALICE);
    expect(back.origin + back.pathname).toBe(`${SITE}/_oauth/${name}`);

    // 3. The callback: passport checks the state, exchanges the code with the verifier, reads the identity.
    const done = await step(strategy, { query: Object.fromEntries(back.searchParams), session, headers: {} });
    expect(done.error ?? done.fail).toBeUndefined();
    expect(rocketChatView(done.user.profile)).toEqual({ id: done.user.profile.sub, name: 'Alice Smith', username: 'alice', email: 'alice@example.com' });
    expect(tokenRequests).toHaveLength(1);
    const body = new URLSearchParams(tokenRequests[0].body);
    expect(body.get('client_id')).toBe(client.client_id);
    expect(body.get('client_secret')).toBe(client.client_secret);
    expect(body.get('code_verifier')).toEqual(expect.any(String));
    expect(tokenRequests[0].authorization).toBeUndefined();
  });

  test('a tampered PKCE verifier or state makes the passport login fail', async () => {
    const strategy = rocketChatStrategy('wordpress', wordpress, 'payload', []);
    for (const tamper of ['verifier', 'state'] as const) {
      const session: Record<string, any> = {};
      const start = await step(strategy, { query: {}, session, headers: {} });
      const back = await authorizeWithForms(start.redirect!, ALICE);
      const query = Object.fromEntries(back.searchParams);
      const key = Object.keys(session)[0];
      if (tamper === 'verifier') session[key].state.code_verifier = 'x'.repeat(43);
      else query.state = 'forged-state';
      const done = await step(strategy, { query, session, headers: {} });
      expect([tamper, done.user]).toEqual([tamper, undefined]);
    }
  });
});

describe('prompt=consent, per client', () => {
  async function landsWithoutConsent(clientId: string, redirect: string, prompt: string | undefined, session: HttpSession): Promise<boolean> {
    const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirect, state: 's', scope: 'read write', ...(prompt ? { prompt } : {}) });
    const res = await session.request(`${p.baseUrl}/o/authorize/?${params}`);
    const location = res.headers.get('location') ?? '';
    return res.status === 302 && location.startsWith(redirect);
  }

  test('a Rocket.Chat login client that skips consent ignores prompt=consent; a generic one honours it; the app client always asks', async () => {
    const session = new HttpSession();
    const trusted = await p.createClient({ name: 'RC trusted', redirectUris: [`${SITE}/_oauth/trusted`], preset: 'rocketchat-login', skipAuthorization: true });
    const generic = await p.createClient({ name: 'Generic trusted', redirectUris: ['https://app.example.com/cb'], preset: 'generic', skipAuthorization: true });
    const app = await p.createClient({ name: 'RC app', redirectUris: [`${SITE}/api/apps/public/x/hrm-callback`], preset: 'rocketchat-app', skipAuthorization: true });
    // Sign in once (the first request goes through the login form).
    await authorizeWithForms(`${p.baseUrl}/o/authorize/?${new URLSearchParams({ response_type: 'code', client_id: trusted.client_id, redirect_uri: `${SITE}/_oauth/trusted`, state: 's', scope: 'read write' })}`, ALICE, { session });

    expect(await landsWithoutConsent(trusted.client_id, `${SITE}/_oauth/trusted`, undefined, session)).toBe(true);
    expect(await landsWithoutConsent(trusted.client_id, `${SITE}/_oauth/trusted`, 'consent', session)).toBe(true);
    expect(await landsWithoutConsent(generic.client_id, 'https://app.example.com/cb', undefined, session)).toBe(true);
    expect(await landsWithoutConsent(generic.client_id, 'https://app.example.com/cb', 'consent', session)).toBe(false);
    expect(await landsWithoutConsent(app.client_id, `${SITE}/api/apps/public/x/hrm-callback`, undefined, session)).toBe(false);
  });

  test('the app client\'s consent page shows even after consent was given, and names the link', async () => {
    const session = new HttpSession();
    const app = await p.createClient({ name: 'Rocket.Chat (HRM SSO app)', redirectUris: [`${SITE}/api/apps/public/y/hrm-callback`], preset: 'rocketchat-app' });
    const url = `${p.baseUrl}/o/authorize/?${new URLSearchParams({ response_type: 'code', client_id: app.client_id, redirect_uri: `${SITE}/api/apps/public/y/hrm-callback`, state: 's', scope: 'read write' })}`;
    await authorizeWithForms(url, ALICE, { session }); // consent given once
    const again = await session.request(url);
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(html).toContain('This links your Rocket.Chat account to your HRM account alice.');
    expect(html).toContain('Rocket.Chat (HRM SSO app)');
  });
});
