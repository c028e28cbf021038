// The admin/CLI token paths at scale, on the FerretDB binary in use (FERRETDB_BIN to compare
// builds): revoking one grant (by familyId), one user's tokens (by userId), the per-client counts
// and `tokens clear`, with `n` filler tokens stored.   npx tsx bench/revoke-scale.ts [n=100000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../provider/src/kernel/config';
import { connectDatabase } from '../provider/src/db/connect';
import { createServices } from '../provider/src/domain/services';
import { startFerretDb, ferretDbBinary } from '../provider/src/db/embedded-ferretdb';
import { REPO_ROOT } from '../provider/src/kernel/config';
import { seedFiller, seedWorkingSet, issue } from './lib/seed';
import { rssMb } from './lib/procs';

async function main() {
  const n = Number(process.argv[2] ?? 100_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-revoke-scale-'));
  const binary = ferretDbBinary(path.join(REPO_ROOT, '.data'), process.env.FERRETDB_BIN);
  const fdb = await startFerretDb({ binary, sqliteDir: dir });
  const config = loadConfig({ MONGO_URL: fdb.url, MONGO_DB: 'scale', PASSWORD_SCRYPT_COST: '1024', SESSION_SECRET: 'x'.repeat(40) });
  const d = await connectDatabase(fdb.url, 'scale');
  try {
    const version = (await d.db.admin().command({ buildInfo: 1 })).ferretdbVersion;
    await seedFiller(d, n);
    const ws = await seedWorkingSet(config, d);
    const user = await d.users.findOne({ username: ws.username });
    const pairs = await issue(config, d, ws.clientId, user!._id as string, 20);
    const { tokens } = createServices(config, d);
    const time = async (what: string, f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      const ms = performance.now() - t;
      return `${what} ${ms.toFixed(0)} ms`;
    };
    const fam = (await tokens.findAccessToken(pairs[0].accessToken))!.familyId;
    const out = [
      await time('revokeFamily', () => tokens.revokeFamily(fam)),
      await time('revokeForUser', () => tokens.revokeForUser(user!._id as string)),
      await time('activeCountsByClient', () => tokens.activeCountsByClient()),
      await time('tokens clear (nothing due)', () => tokens.clear()),
    ];
    console.log(`FerretDB ${version}, ${n.toLocaleString('en')} stored tokens: ${out.join('; ')}; FerretDB RSS after ${rssMb(fdb.pid() ?? 0)} MB`);
  } finally {
    await d.close();
    await fdb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
