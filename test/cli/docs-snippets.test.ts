// docs/cli.md's `bash` blocks, run in order in one bash (set -euo pipefail) against a real
// FerretDB, exactly as a reader would paste them: `npx hrm-sso` from the repository root.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import type { Database } from '../../provider/src/db/connect';
import { ensureBuilt } from '../support/build';
import { openCliDatabase, type CliDatabase } from './cli-database';
import { cliEnv } from './run-cli';

let cli: CliDatabase;
let db: Database;
beforeAll(async () => {
  ensureBuilt();
  cli = await openCliDatabase('cli_docs');
  db = cli.db;
});
afterAll(() => cli?.close());

function bashBlocks(markdown: string): string[] {
  // Blocks may be indented inside list items: strip that indentation.
  return [...markdown.matchAll(/^( *)```bash\n([\s\S]*?)^\1```/gm)].map((m) => m[2].replace(new RegExp(`^${m[1]}`, 'gm'), ''));
}

test('every bash snippet in docs/cli.md runs and does what the page says', () => {
  const blocks = bashBlocks(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'cli.md'), 'utf8'));
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  const script = ['set -euo pipefail', ...blocks, 'printf "ID=%s\\nSECRET=%s\\n" "$ID" "$SECRET" >&2'].join('\n');
  const r = spawnSync('bash', ['-c', script], {
    cwd: REPO_ROOT,
    env: cliEnv({ ...cli.env, PW: 'docs-password-1', NEW_PASSWORD: 'docs-password-2' }),
    encoding: 'utf8',
    timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`snippets failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  const id = /^ID=(.+)$/m.exec(r.stderr)?.[1];
  const secret = /^SECRET=(.+)$/m.exec(r.stderr)?.[1];
  expect(id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  return Promise.all([db.users.findOne({ username: 'carol' }), db.clients.findOne({ _id: id })]).then(([carol, client]) => {
    expect(carol).toMatchObject({ active: true, admin: true, department: 'Payroll', jobTitle: 'Payroll lead' });
    // The rocketchat-login preset also registers the `?close` variant (Rocket.Chat's mobile app) of
    // the URI given at creation; --add-redirect-uri adds exactly the one URI it names.
    expect(client).toMatchObject({ name: 'Rocket.Chat (production)', requirePkce: true, redirectUris: ['https://chat.example.com/_oauth/hrm', 'https://chat.example.com/_oauth/hrm?close', 'https://chat2.example.com/_oauth/hrm'] });
  });
}, 180000);
