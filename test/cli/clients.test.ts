// `client create|list|rotate-secret|delete` against a real FerretDB, through the real CLI.
import type { Database } from '../../provider/src/db/connect';
import type { Services } from '../../provider/src/domain/services';
import { digest } from '../../provider/src/kernel/security/tokens';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { expectOneLineError, runCli, runJson } from './run-cli';

let cli: CliDatabase;
let db: Database;
let services: Services;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await openCliDatabase('cli_clients');
  ({ db, services, env } = cli);
});
afterAll(() => cli?.close());

const RC_LOGIN = 'https://chat.example.com/_oauth/hrm';
const RC_APP = 'https://chat.example.com/api/apps/public/0b1f/hrm-callback';

async function stored(id: string) {
  const doc = await services.clients.fresh(id);
  if (!doc) throw new Error(`client ${id} not stored`);
  return doc;
}

describe('client create', () => {
  let loginId: string;

  it('prints client_id and client_secret once for people, and says it is the only time', async () => {
    const r = await runCli(['client', 'create', '--name', 'Rocket.Chat', '--redirect-uri', RC_LOGIN, '--preset', 'rocketchat-login'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const id = r.stdout.match(/^client_id: +(\S+)$/m)?.[1];
    const secret = r.stdout.match(/^client_secret: +(\S+)$/m)?.[1];
    // Letters and digits only: an id starting with `-` would be read as a CLI option.
    expect(id).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(r.stdout).toMatch(/shown only this once/);
    loginId = id!;
    const doc = await stored(loginId);
    // Only the digest is stored, and it is the digest of what was printed.
    expect(doc.secretDigest).toBe(digest(secret!));
    expect(JSON.stringify(doc)).not.toContain(secret);
    expect(doc).toMatchObject({ name: 'Rocket.Chat', preset: 'rocketchat-login', type: 'confidential', redirectUris: [RC_LOGIN, `${RC_LOGIN}?close`], grants: ['authorization_code', 'refresh_token'], allowQueryCredentials: false });
  });

  it('--json has exactly client_id and client_secret plus the client description', async () => {
    const out = await runJson(
      ['client', 'create', '--name', 'HRM app', '--redirect-uri', RC_APP, '--redirect-uri', 'http://localhost:3000/api/apps/public/0b1f/hrm-callback', '--preset', 'rocketchat-app', '--skip-authorization'],
      { env },
    );
    expect(Object.keys(out).slice(0, 2)).toEqual(['client_id', 'client_secret']);
    expect(Object.keys(out).sort()).toEqual(
      ['access_token_lifetime', 'allow_introspection', 'allow_plain_pkce', 'allow_query_access_token', 'allow_query_credentials', 'allow_token_only_revocation', 'client_id', 'client_secret', 'created_at', 'grants', 'home_page_uri', 'logo_uri', 'name', 'post_logout_redirect_uris', 'preset', 'allowed_origins', 'redirect_uris', 'refresh_absolute_lifetime', 'refresh_idle_timeout', 'require_pkce', 'revoke_tokens_on_logout', 'skip_authorization', 'type'].sort(),
    );
    expect(out).toMatchObject({
      name: 'HRM app',
      preset: 'rocketchat-app',
      type: 'confidential',
      redirect_uris: [RC_APP, 'http://localhost:3000/api/apps/public/0b1f/hrm-callback'],
      grants: ['authorization_code', 'refresh_token'],
      skip_authorization: true,
      allow_query_access_token: true,
      access_token_lifetime: 3600,
      refresh_idle_timeout: 90 * 24 * 3600,
      refresh_absolute_lifetime: 365 * 24 * 3600,
      allow_query_credentials: true,
      allow_token_only_revocation: true,
    });
    expect(services.clients.verifySecret(await stored(out.client_id), out.client_secret)).toBe(true);
  });

  it('honours --type public, --grants and --require-pkce', async () => {
    const pub = await runJson(['client', 'create', '--name', 'SPA', '--redirect-uri', 'https://spa.example.com/cb', '--type', 'public'], { env });
    expect(pub).toMatchObject({ client_secret: null, type: 'public', require_pkce: true });
    expect((await stored(pub.client_id)).secretDigest ?? null).toBeNull();

    const strict = await runJson(['client', 'create', '--name', 'Strict', '--redirect-uri', 'https://s.example.com/cb', '--grants', 'authorization_code', '--require-pkce'], { env });
    expect(strict).toMatchObject({ grants: ['authorization_code'], require_pkce: true, preset: 'generic' });

    const svc = await runJson(['client', 'create', '--name', 'Batch job', '--grants', 'client_credentials'], { env });
    expect(svc).toMatchObject({ grants: ['client_credentials'], redirect_uris: [] });
    expect(typeof svc.client_secret).toBe('string');
  });

  it('a public client prints no secret and no "shown once" note', async () => {
    const r = await runCli(['client', 'create', '--name', 'SPA 2', '--redirect-uri', 'https://spa.example.com/cb2', '--type', 'public'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/client_secret: \(none: public client/);
    expect(r.stdout).not.toMatch(/shown only this once/);
  });

  it.each([
    [['--redirect-uri', 'chat.example.com/_oauth/hrm'], /Redirect URI "chat.example.com\/_oauth\/hrm" is not an absolute URL/],
    [['--redirect-uri', 'https://chat.example.com/cb#x'], /must not contain a fragment/],
    [['--redirect-uri', 'javascript:alert(1)'], /must use https or http/],
    [[], /needs at least one redirect URI/],
    [['--redirect-uri', RC_LOGIN, '--grants', 'authorization_code,implicit'], /grants must be among/],
    [['--type', 'public', '--grants', 'client_credentials'], /public client cannot use the client_credentials/],
  ])('rejects bad input %j in one line and stores nothing', async (extra, message) => {
    const before = await db.clients.countDocuments();
    const r = await runCli(['client', 'create', '--name', 'Bad', ...extra], { env });
    expectOneLineError(r, message);
    expect(r.code).toBe(1);
    expect(await db.clients.countDocuments()).toBe(before);
  });

  it('rejects an unknown --type or --preset as a usage error', async () => {
    const t = await runCli(['client', 'create', '--name', 'X', '--redirect-uri', RC_LOGIN, '--type', 'secret'], { env });
    expectOneLineError(t, /Allowed choices are confidential, public/);
    expect(t.code).toBe(2);
    const p = await runCli(['client', 'create', '--name', 'X', '--redirect-uri', RC_LOGIN, '--preset', 'slack'], { env });
    expectOneLineError(p, /Allowed choices are rocketchat-login, rocketchat-wordpress, rocketchat-app, generic/);
  });

  describe('client list', () => {
    it('--json lists every client in creation order without secrets', async () => {
      const list = await runJson<any[]>(['client', 'list'], { env });
      expect(list.map((c) => c.name)).toEqual(['Rocket.Chat', 'HRM app', 'SPA', 'Strict', 'Batch job', 'SPA 2']);
      expect(list[0].client_id).toBe(loginId);
      for (const c of list) expect(c).not.toHaveProperty('client_secret');
      expect(JSON.stringify(list)).not.toMatch(/secretDigest|secret_digest/);
    });

    it('prints a table for people', async () => {
      const r = await runCli(['client', 'list'], { env });
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^CLIENT ID\s+NAME\s+PRESET\s+TYPE\s+GRANTS\s+REDIRECT URIS$/);
      expect(lines).toHaveLength(7);
      expect(lines[1]).toMatch(new RegExp(`^${loginId}\\s+Rocket\\.Chat\\s+rocketchat-login\\s+confidential\\s+authorization_code,refresh_token\\s+${RC_LOGIN} ${RC_LOGIN}\\?close$`));
    });
  });

  describe('client rotate-secret', () => {
    it('prints a new secret once; only the new one verifies', async () => {
      const oldDigest = (await stored(loginId)).secretDigest;
      const out = await runJson(['client', 'rotate-secret', loginId], { env });
      expect(out).toEqual({ client_id: loginId, client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) });
      const doc = await stored(loginId);
      expect(doc.secretDigest).not.toBe(oldDigest);
      expect(services.clients.verifySecret(doc, out.client_secret)).toBe(true);

      const human = await runCli(['client', 'rotate-secret', loginId], { env });
      const secret = human.stdout.match(/^client_secret: +(\S+)$/m)?.[1];
      expect(human.stdout).toMatch(/shown only this once/);
      expect(services.clients.verifySecret(await stored(loginId), secret!)).toBe(true);
      expect(services.clients.verifySecret(await stored(loginId), out.client_secret)).toBe(false);
    });

    it('refuses an unknown id and a public client', async () => {
      expectOneLineError(await runCli(['client', 'rotate-secret', 'no-such-client'], { env }), /No client with id "no-such-client"/);
      const spa = (await db.clients.findOne({ name: 'SPA' }))!;
      expectOneLineError(await runCli(['client', 'rotate-secret', spa._id], { env }), /public client has no secret/);
    });
  });

  describe('client delete', () => {
    it('deletes the client and what was issued to it', async () => {
      const now = Date.now();
      await db.accessTokens.insertOne({ _id: 'to-go', clientId: loginId, userId: 'u', scope: ['read'], familyId: 'f', expiresAt: new Date(now + 60_000), revokedAt: null, createdAt: new Date(now) });
      const out = await runJson(['client', 'delete', loginId], { env });
      expect(out).toEqual({ client_id: loginId, name: 'Rocket.Chat', deleted: true });
      expect(await services.clients.byId(loginId)).toBeNull();
      expect(await db.accessTokens.findOne({ _id: 'to-go' })).toBeNull();
      const list = await runJson<any[]>(['client', 'list'], { env });
      expect(list.map((c) => c.client_id)).not.toContain(loginId);
    });

    it('human output names the client; deleting it again is an unknown id', async () => {
      const strict = (await db.clients.findOne({ name: 'Strict' }))!;
      const r = await runCli(['client', 'delete', strict._id], { env });
      expect(r.stdout).toBe(`Deleted client "Strict" (${strict._id}) and its tokens.\n`);
      expectOneLineError(await runCli(['client', 'delete', strict._id], { env }), new RegExp(`No client with id "${strict._id}"`));
    });
  });

  it('every change is in the audit log with actor "cli", and no secret is', async () => {
    const rows = await db.audit.find({ actor: 'cli' }).toArray();
    const actions = rows.map((a) => a.action);
    expect(actions.filter((a) => a === 'client.create')).toHaveLength(6);
    expect(actions.filter((a) => a === 'client.rotate_secret')).toHaveLength(2);
    expect(actions.filter((a) => a === 'client.delete')).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toMatch(/client_secret|secretDigest/);
  });
});

test('client ids are letters and digits (1,000 drawn); an older id starting with "-" works after --', async () => {
  const { randomClientId } = await import('../../provider/src/kernel/security/tokens');
  const ids = Array.from({ length: 1000 }, () => randomClientId());
  expect(ids.every((id) => /^[A-Za-z0-9]{40}$/.test(id))).toBe(true);
  expect(new Set(ids.map((id) => id[0])).size).toBeGreaterThan(40); // every first character is possible
  const created = await runJson(['client', 'create', '--name', 'Legacy id', '--redirect-uri', 'https://legacy.example.com/cb'], { env });
  // `-x…`: a random second letter could be `h` or `V`, which commander reads as --help / --version (exit 0).
  const legacyId = `-x${created.client_id.slice(2)}`;
  await db.clients.insertOne({ ...(await stored(created.client_id)), _id: legacyId, name: 'Legacy id (old format)' } as never);
  const bad = await runCli(['client', 'rotate-secret', legacyId], { env });
  expect(bad.code).toBe(2);
  const good = await runJson(['client', 'rotate-secret', '--', legacyId], { env });
  expect(good.client_id).toBe(legacyId);
});
