// Tests that run the provider or the CLI as processes run the compiled output (what `npm start`,
// `npx hrm-sso` and the container run). `npm test` builds first; a single test file run on its own
// rebuilds here when a source is newer than the last build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../provider/src/kernel/config';

export const PROVIDER_MAIN = path.join(REPO_ROOT, 'provider', 'dist', 'main.js');
export const CLI_BIN = path.join(REPO_ROOT, 'provider', 'bin', 'hrm-sso.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const marker = path.join(REPO_ROOT, 'provider', 'dist', '.tsbuildinfo');
  const built = fs.existsSync(marker) && fs.existsSync(PROVIDER_MAIN) ? fs.statSync(marker).mtimeMs : 0;
  if (built >= newestMtime(path.join(REPO_ROOT, 'provider', 'src'))) return;
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'provider', 'scripts', 'build.js')], { stdio: 'inherit' });
  // tsc leaves the build info untouched when nothing changed; mark this build as current.
  const now = new Date();
  fs.utimesSync(marker, now, now);
}
