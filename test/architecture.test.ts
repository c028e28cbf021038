// The provider's layering (docs/architecture.md, issue 20 A), checked from the source:
// 1. no route handler touches the database: no file under provider/src/http/ reads a collection
//    of the Database handle (db.users, services.db.consents, db[collection], db.db…) — they call
//    store/ and domain/. Two files are exempt: http/app.ts hands the raw connection to the sweeper
//    and http/middleware/session.ts to connect-mongo;
// 2. nor does any other layer above store/: domain/, jobs/, cli/ and tools/ call stores (the only
//    place with database calls besides db/ itself), except jobs/sweeper.ts, which executes
//    db/expiry.ts's due lists and leases; the composition root (main.ts, server.ts) only hands
//    the connection over;
// 3. dependency-cruiser (.dependency-cruiser.cjs) finds no upward import and no cycle in
//    provider/src. (app-src is checked by the same rules once its reorganisation lands; until then
//    it still reports one cycle, so this test cruises provider/src only.)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const HTTP = path.join(ROOT, 'provider/src/http');
const EXEMPT = new Set(['app.ts', 'middleware/session.ts']);

/** The Database handle's members that reach the database: its collections, the Db and the client. */
function databaseMembers(): Set<string> {
  const source = fs.readFileSync(path.join(ROOT, 'provider/src/db/database.ts'), 'utf8');
  const members = [...source.matchAll(/^\s+(\w+): Collection</gm)].map((m) => m[1]);
  expect(members).toEqual(expect.arrayContaining(['users', 'clients', 'consents', 'accessTokens', 'refreshTokens', 'codes', 'audit']));
  return new Set([...members, 'db', 'client', 'collection']);
}

/** `db.<member>` / `db?.<member>` / `db[…]` uses in a source text, as "line: text". */
function databaseAccesses(source: string, members: Set<string>): string[] {
  const hits: string[] = [];
  source.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    for (const m of code.matchAll(/\bdb\s*(?:\?\.|\.)\s*(\w+)|\bdb\s*\[/g)) {
      if (m[1] === undefined || members.has(m[1])) hits.push(`${i + 1}: ${line.trim()}`);
    }
  });
  return hits;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

test('the scan recognises database access (so a pass means something)', () => {
  const members = databaseMembers();
  expect(databaseAccesses("const u = await db.users.findOne({ _id: id });", members)).toHaveLength(1);
  expect(databaseAccesses('await deps.services.db.consents.deleteOne({});', members)).toHaveLength(1);
  expect(databaseAccesses('const rows = await db[collection].aggregate([]);', members)).toHaveLength(1);
  expect(databaseAccesses('new Sweeper(db.db, opts);', members)).toHaveLength(1);
  // Handing the handle to a store, or a comment, is not an access.
  expect(databaseAccesses('const limiter = new SlotLimiter(db, opts); // db.users', members)).toEqual([]);
  expect(databaseAccesses('await users.byId(id);', members)).toEqual([]);
});

test('no route handler under provider/src/http/ touches the database', () => {
  const members = databaseMembers();
  const files = sourceFiles(HTTP).filter((f) => !EXEMPT.has(path.relative(HTTP, f).split(path.sep).join('/')));
  expect(files.length).toBeGreaterThan(30);
  const offenders = files.flatMap((f) => databaseAccesses(fs.readFileSync(f, 'utf8'), members).map((hit) => `${path.relative(ROOT, f)}:${hit}`));
  expect(offenders).toEqual([]);
});

test('no file in domain/, jobs/, cli/ or tools/ touches the database: they go through store/', () => {
  const members = databaseMembers();
  // The sweeper executes db/expiry.ts's due lists and leases: raw collections by name are its job.
  const files = ['domain', 'jobs', 'cli', 'tools'].flatMap((layer) => sourceFiles(path.join(ROOT, 'provider/src', layer))).filter((f) => !f.endsWith(path.join('jobs', 'sweeper.ts')));
  expect(files.length).toBeGreaterThan(60);
  const offenders = files.flatMap((f) => databaseAccesses(fs.readFileSync(f, 'utf8'), members).map((hit) => `${path.relative(ROOT, f)}:${hit}`));
  expect(offenders).toEqual([]);
});

test('dependency-cruiser: no upward import and no cycle in provider/src', async () => {
  const bin = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'provider/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }>; totalCruised: number } };
  expect(result.summary.totalCruised).toBeGreaterThan(100);
  expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
}, 120_000);
