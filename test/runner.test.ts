// `npm test` on a machine that lacks something it cannot install (no root): it stops within
// seconds with one sentence naming the command to run, before any typecheck, build or suite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const isRoot = process.getuid?.() === 0;
// As root the script would install what is missing: run it as an unprivileged user instead.
const asUser = isRoot ? ['runuser', '-u', 'nobody', '--'] : [];

test('without Chromium and without root, npm test stops at once with the command to run', () => {
  if (isRoot) expect(fs.existsSync('/usr/sbin/runuser') || fs.existsSync('/sbin/runuser') || fs.existsSync('/usr/bin/runuser')).toBe(true);
  const started = Date.now();
  const [cmd, ...args] = [...asUser, 'env', `PATH=${process.env.PATH}`, 'CHROMIUM_PATH=/nonexistent/chromium', `FERRETDB_BIN=${process.env.FERRETDB_BIN ?? path.join(ROOT, '.data', 'bin', 'ferretdb')}`, process.execPath, path.join(ROOT, 'scripts', 'test.js')];
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  const seconds = (Date.now() - started) / 1000;
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe("npm test cannot run: Debian's chromium (for the browser tests) is missing: run `sudo apt-get install -y chromium`, then `npm test` again.");
  // Nothing slow started: no typecheck, no build, no jest.
  expect(r.stdout).not.toContain('typecheck');
  expect(seconds).toBeLessThan(30);
});
