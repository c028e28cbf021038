// CSV import at scale: 10,000 people imported into an empty embedded FerretDB, then the same file
// imported again (every row unchanged), timed end to end as `hrm-sso user import` runs it (parse,
// plan, apply with invitations; SMTP unset, so no mail is queued).   npx tsx bench/import.ts [rows=10000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../provider/src/kernel/config';
import { connectDatabase } from '../provider/src/db/connect';
import { createServices } from '../provider/src/domain/services';
import { startFerretDb, ferretDbBinary } from '../provider/src/db/embedded-ferretdb';
import { applyImport, parsePeopleCsv, planImport } from '../provider/src/domain/people/csv-import';
import { inviteAfterCreate } from '../provider/src/domain/people/invite';
import { rssMb } from './lib/procs';

const DEPARTMENTS = ['Engineering', 'Sales', 'Research & Development', 'Finance', 'People', 'Support'];

function staffCsv(rows: number): string {
  const lines = ['username,email,name,given_name,family_name,department,job_title,manager,employee_number,teams,employment_status,leave_until,left_at,roles'];
  for (let i = 0; i < rows; i++) {
    // Every 50th person manages the next 49 (managers come first, as in an HR export).
    const manager = i % 50 === 0 ? '' : `E-${String(i - (i % 50)).padStart(5, '0')}`;
    lines.push([`person${i}`, `person${i}@example.test`, `Person ${i} Example`, `Person ${i}`, 'Example', DEPARTMENTS[i % DEPARTMENTS.length], i % 50 === 0 ? 'Manager' : 'Engineer', manager, `E-${String(i).padStart(5, '0')}`, i % 3 === 0 ? 'platform,data' : 'platform', i % 97 === 0 ? 'on_leave' : 'active', i % 97 === 0 ? '2099-01-31' : '', '', ''].map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const rows = Number(process.argv[2] ?? 10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-import-bench-'));
  const fdb = await startFerretDb({ binary: ferretDbBinary(path.join(REPO_ROOT, '.data'), process.env.FERRETDB_BIN), sqliteDir: dir });
  const config = loadConfig({ MONGO_URL: fdb.url, MONGO_DB: 'import_bench', SESSION_SECRET: 'x'.repeat(40), CSV_IMPORT_MAX_BYTES: String(64 * 1048576) });
  const db = await connectDatabase(fdb.url, config.MONGO_DB);
  try {
    const services = createServices(config, db);
    const file = Buffer.from(staffCsv(rows));
    const importOnce = async () => {
      const t0 = performance.now();
      const plan = await planImport(services, parsePeopleCsv(file, config.CSV_IMPORT_MAX_BYTES), { match: 'username', deactivateMissing: false });
      const t1 = performance.now();
      const invites = inviteAfterCreate(services, 'bench');
      const result = await applyImport(services, plan, { actor: 'bench', via: 'csv' }, { afterCreate: invites.afterCreate });
      const t2 = performance.now();
      return { planMs: t1 - t0, applyMs: t2 - t1, result };
    };
    const first = await importOnce();
    const second = await importOnce();
    const ferretdb = (await db.db.admin().command({ buildInfo: 1 })).ferretdbVersion;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`CSV import, ${rows} rows (${(file.length / 1048576).toFixed(2)} MB), embedded FerretDB ${ferretdb}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
    console.log(`first import:  created ${first.result.created.length}, errors ${first.result.errors.length}: plan ${s(first.planMs)}, apply ${s(first.applyMs)}, total ${s(first.planMs + first.applyMs)} (${((first.planMs + first.applyMs) / rows).toFixed(2)} ms/row)`);
    console.log(`re-import:     unchanged ${second.result.unchanged}, created ${second.result.created.length}, updated ${second.result.updated.length}: total ${s(second.planMs + second.applyMs)}`);
    console.log(`provider process RSS ${rssMb(process.pid).toFixed(0)} MB`);
    if (first.result.created.length !== rows || second.result.unchanged !== rows) process.exitCode = 1;
  } finally {
    await db.close();
    await fdb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
