// Database round trips per request on the token endpoints (issue 10.C), counted from the
// driver's own commandStarted events: userinfo and introspect ≤ 1 on a valid token,
// client_credentials ≤ 3, code exchange and refresh ≤ 4. Client and profile caches are warm (the
// steady state); the rate limiter's counter commands are reported apart (the limiter's stage), and
// so is the embedded database's expiry bookkeeping: on FerretDB (no TTL indexes) a token carries its
// expiry bucket in an indexed field (db/expiry.ts TOKEN_BUCKET_FIELD), so issuing adds no due-list
// insert any more (asserted: none); MongoDB's TTL indexes need none either.
import type { CommandStartedEvent } from 'mongodb';
import { startTestProvider, type TestProvider } from '../support/provider';
import { basic, getJson, obtainCode, postForm } from '../support/oauth-requests';

const REDIRECT = 'https://chat.example.com/_oauth/hrm';
let p: TestProvider;
let c: { client_id: string; client_secret: string };
let svc: { client_id: string; client_secret: string };
let seen: { name: string; collection: string; dueFor: string[] }[] = [];

beforeAll(async () => {
  p = await startTestProvider({ mongoOptions: { monitorCommands: true } });
  p.db.client.on('commandStarted', (e: CommandStartedEvent) => {
    const command = e.command as Record<string, unknown>;
    // A due-list insert names the collection each entry is for (db/expiry.ts DueDoc.c).
    const dueFor = e.commandName === 'insert' ? ((command.documents as { c?: string }[] | undefined) ?? []).map((d) => String(d.c)) : [];
    seen.push({ name: e.commandName, collection: String(command[e.commandName] ?? ''), dueFor });
  });
  await p.createUser({ username: 'alice', email: 'alice@example.com', name: 'Alice Smith', password: 'correct horse battery' });
  c = await p.createClient({ name: 'Rocket.Chat', redirectUris: [REDIRECT], preset: 'rocketchat-login' });
  svc = await p.createClient({ name: 'svc', redirectUris: [], grants: ['client_credentials'] });
});
afterAll(() => p.stop());

/** Runs one request and returns the database commands it caused, rate-limit counters apart. */
async function commandsOf<T>(request: () => Promise<T>): Promise<{ result: T; commands: string[]; rateLimit: number; dueList: string[] }> {
  seen = [];
  const result = await request();
  // Commands issued after the response (none expected) would still be in flight: let them land.
  await new Promise((r) => setTimeout(r, 50));
  // The limiter's stage: its counter commands, and the due-list entry of a new block it claims when a
  // window rolls over during the request (timing-dependent, so not counted against the grant).
  const isDue = (s: { collection: string }) => s.collection.startsWith('expiry_due_');
  const isLimiter = (s: { collection: string; dueFor: string[] }) => s.collection === 'rate_limits' || (isDue(s) && s.dueFor.length > 0 && s.dueFor.every((c) => c === 'rate_limits'));
  const rateLimit = seen.filter((s) => s.collection === 'rate_limits').length;
  const dueList = seen.filter((s) => isDue(s) && !isLimiter(s)).map((s) => `${s.name} for ${s.dueFor.join(",") || "?"}`);
  const commands = seen.filter((s) => !isLimiter(s) && !isDue(s)).map((s) => `${s.name} ${s.collection}`);
  return { result, commands, rateLimit, dueList };
}

const auth = () => ({ authorization: basic(c.client_id, c.client_secret) });
const exchange = (code: string) => postForm(`${p.baseUrl}/o/token/`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, auth());
const refresh = (rt: string) => postForm(`${p.baseUrl}/o/token/`, { grant_type: 'refresh_token', refresh_token: rt }, auth());
const userinfo = (at: string) => getJson(`${p.baseUrl}/api/v2/o/userinfo/`, { authorization: `Bearer ${at}` });
const introspect = (t: string) => postForm(`${p.baseUrl}/o/introspect/`, { token: t }, auth());

test('round trips per request stay within the targets', async () => {
  // Warm-up: one of each, so the client and profile caches hold what the steady state has.
  const warm = await exchange((await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's', scope: 'read write' })).code);
  expect(warm.status).toBe(200);
  await userinfo(warm.json.access_token);

  const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's', scope: 'read write' });
  const ex = await commandsOf(() => exchange(code));
  expect(ex.result.status).toBe(200);

  const ui = await commandsOf(() => userinfo(ex.result.json.access_token));
  expect(ui.result.status).toBe(200);
  expect(ui.result.json.username).toBe('alice');

  const intro = await commandsOf(() => introspect(ex.result.json.access_token));
  expect(intro.result.json).toMatchObject({ active: true, username: 'alice' });

  const rf = await commandsOf(() => refresh(ex.result.json.refresh_token));
  expect(rf.result.status).toBe(200);

  await postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(svc.client_id, svc.client_secret) });
  const cc = await commandsOf(() => postForm(`${p.baseUrl}/o/token/`, { grant_type: 'client_credentials' }, { authorization: basic(svc.client_id, svc.client_secret) }));
  expect(cc.result.status).toBe(200);

  const table = { userinfo: ui.commands, introspect: intro.commands, client_credentials: cc.commands, code_exchange: ex.commands, refresh: rf.commands };
  // Printed so a failure (or a reviewer) sees exactly which commands a request ran.
  const dueList = { client_credentials: cc.dueList, code_exchange: ex.dueList, refresh: rf.dueList };
  console.log(JSON.stringify({ commands: table, dueListCommands: dueList, rateLimitCommands: { token: ex.rateLimit, introspect: intro.rateLimit, userinfo: ui.rateLimit } }, null, 1));
  // Expiry bookkeeping rides in the token documents: no due-list command (issue #21.C).
  expect(dueList).toEqual({ client_credentials: [], code_exchange: [], refresh: [] });
  const stored = await p.db.refreshTokens.findOne({}, { sort: { createdAt: -1 } });
  expect(stored?.sweepBucket).toMatch(/^\d{8}T\d{6}Z$/);
  expect(ui.dueList).toEqual([]);
  expect(ui.commands.length).toBeLessThanOrEqual(1);
  expect(intro.commands.length).toBeLessThanOrEqual(1);
  expect(cc.commands.length).toBeLessThanOrEqual(3);
  expect(ex.commands.length).toBeLessThanOrEqual(4);
  expect(rf.commands.length).toBeLessThanOrEqual(4);
  // userinfo, introspection: one read of the token by _id.
  expect(ui.commands).toEqual(['find access_tokens']);
  expect(intro.commands).toEqual(['find access_tokens']);
});

test('an unknown token costs userinfo one read too', async () => {
  const r = await commandsOf(() => userinfo('not-a-real-token'));
  expect(r.result.status).toBe(401);
  expect(r.commands).toEqual(['find access_tokens']);
});

test('concurrent userinfo and introspection requests share token reads; a token revoked before them is refused by every one', async () => {
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { code } = await obtainCode(p.baseUrl, { client_id: c.client_id, redirect_uri: REDIRECT, state: 's', scope: 'read write' });
    tokens.push((await exchange(code)).json.access_token);
  }
  const revoked = tokens[1];
  expect((await postForm(`${p.baseUrl}/o/revoke_token/`, { token: revoked }, auth())).status).toBe(200);

  // Track the reads the next burst causes, with how many ids each carried.
  const reads: number[] = [];
  const onStart = (e: CommandStartedEvent) => {
    const cmd = e.command as { find?: string; filter?: { _id?: string | { $in?: string[] } } };
    if (e.commandName !== 'find' || cmd.find !== 'access_tokens') return;
    const id = cmd.filter?._id;
    reads.push(typeof id === 'object' && id?.$in ? id.$in.length : 1);
  };
  p.db.client.on('commandStarted', onStart);
  try {
    const burst = Array.from({ length: 60 }, (_, i) => {
      const token = tokens[i % 3];
      return i % 2 ? userinfo(token).then((r) => ({ token, ok: r.status === 200 && r.json.username === 'alice', status: r.status }))
        : introspect(token).then((r) => ({ token, ok: r.json.active === true && r.json.username === 'alice', status: r.status }));
    });
    const answers = await Promise.all(burst);
    for (const a of answers) {
      if (a.token === revoked) expect(a.ok).toBe(false);
      else expect(a).toMatchObject({ ok: true, status: 200 });
    }
    expect(answers.filter((a) => a.token === revoked).map((a) => a.status).sort()).toEqual([...Array(10).fill(200), ...Array(10).fill(401)]);
  } finally {
    p.db.client.off('commandStarted', onStart);
  }
  // Fewer reads than requests: lookups that waited went together (a token asked for by several
  // waiting requests is one id in the read).
  expect(reads.length).toBeLessThan(60);
  expect(Math.max(...reads)).toBeGreaterThan(1);
});
