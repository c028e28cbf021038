/**
 * Builds the app exactly as a release does (`npm run app:package`). The zip is rebuilt when any
 * app source, the manifest or the packaging script is newer than it; a lock file keeps
 * parallel jest workers from packaging into the same staging folder at once.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const INPUTS = ['app.json', 'HrmSsoApp.ts', 'app-src', 'i18n', 'icon.png', path.join('scripts', 'package-app.js')];
const LOCK = path.join(REPO_ROOT, '.build', 'app-package.lock');
const LOCK_STALE_MS = 5 * 60_000;

export interface AppManifest {
    id: string;
    name: string;
    nameSlug: string;
    version: string;
    permissions: Array<{ name: string }>;
}

export function readAppManifest(): AppManifest {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'app.json'), 'utf8'));
}

function zipPath(): string {
    const manifest = readAppManifest();
    return path.join(REPO_ROOT, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);
}

function newestInput(entry: string): number {
    const full = path.join(REPO_ROOT, entry);
    const stat = fs.statSync(full);
    if (!stat.isDirectory()) {
        return stat.mtimeMs;
    }
    return Math.max(stat.mtimeMs, ...fs.readdirSync(full).map((child) => newestInput(path.join(entry, child))));
}

function isFresh(zip: string): boolean {
    return fs.existsSync(zip) && fs.statSync(zip).mtimeMs >= Math.max(...INPUTS.map(newestInput));
}

function tryLock(): boolean {
    fs.mkdirSync(path.dirname(LOCK), { recursive: true });
    try {
        fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
        return true;
    } catch {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS) {
            fs.rmSync(LOCK, { force: true });
        }
        return false;
    }
}

/** Path of dist/<nameSlug>_<version>.zip, packaged by scripts/package-app.js when stale. */
export function buildAppZip(): string {
    const zip = zipPath();
    while (!isFresh(zip)) {
        if (!tryLock()) {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
            continue;
        }
        try {
            if (!isFresh(zip)) {
                execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package-app.js')], { cwd: REPO_ROOT, stdio: 'pipe' });
            }
        } finally {
            fs.rmSync(LOCK, { force: true });
        }
    }
    return zip;
}
