// No MONGO_URL: the CLI uses the embedded FerretDB in DATA_DIR, like `npm start`. It starts
// one for the command and stops it after, or reuses the one a running server publishes.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';
import { connectDatabase } from '../../provider/src/db/connect';
import { ferretDbBinary, startFerretDb, type EmbeddedFerretDb } from '../../provider/src/db/embedded-ferretdb';
import { runCli, runJson } from './run-cli';

let dataDir: string;
let env: Record<string, string>;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hrm-cli-data-'));
  fs.mkdirSync(path.join(dataDir, 'bin'));
  fs.symlinkSync(ferretDbBinary(path.join(REPO_ROOT, '.data'), process.env.FERRETDB_BIN), path.join(dataDir, 'bin', 'ferretdb'));
  env = { DATA_DIR: dataDir };
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const portFile = () => path.join(dataDir, 'db', 'ferretdb.port');
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** FerretDB processes serving this DATA_DIR (Linux /proc; empty elsewhere). */
function ferretDbsOnDataDir(): string[] {
  if (!fs.existsSync('/proc')) return [];
  return fs.readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--sqlite-url=file:${dataDir}`);
    } catch {
      return false;
    }
  });
}

it('two separate runs see the same user, and no database is left running', async () => {
  const created = await runCli(['user', 'create', '--username', 'erin', '--email', 'erin@example.com', '--name', 'Erin Embedded', '--password-stdin'], { env, input: 'erin-password\n' });
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'db', 'hrm_sso.sqlite'))).toBe(true);
  expect(fs.existsSync(portFile())).toBe(false);
  expect(ferretDbsOnDataDir()).toEqual([]);

  const list = await runJson<any[]>(['user', 'list'], { env });
  expect(list.map((u) => u.username)).toEqual(['erin']);
  expect(list[0]).toMatchObject({ email: 'erin@example.com', name: 'Erin Embedded' });
  expect(ferretDbsOnDataDir()).toEqual([]);
});

describe('while a server runs the embedded database', () => {
  let running: EmbeddedFerretDb;

  beforeAll(async () => {
    // What `npm start` does: FerretDB on DATA_DIR/db, port published for the CLI.
    running = await startFerretDb({ binary: path.join(dataDir, 'bin', 'ferretdb'), sqliteDir: path.join(dataDir, 'db'), publishPort: true });
  });

  afterAll(async () => {
    await running?.stop();
  });

  it('the CLI reuses it (changes are visible to the server) and leaves it running', async () => {
    const out = await runJson(['client', 'create', '--name', 'Shared', '--redirect-uri', 'https://chat.example.com/_oauth/hrm'], { env });
    expect(await listening(running.port)).toBe(true);
    expect(ferretDbsOnDataDir()).toHaveLength(1); // the server's own, no second one
    expect(fs.readFileSync(portFile(), 'utf8').trim()).toBe(String(running.port));

    const db = await connectDatabase(running.url, 'hrm_sso');
    try {
      expect(await db.clients.findOne({ _id: out.client_id })).toMatchObject({ name: 'Shared' });
      expect(await db.users.findOne({ username: 'erin' })).not.toBeNull();
    } finally {
      await db.close();
    }
  });
});
