/** Builds the app exactly as a release does (`npm run app:package`), once per test process. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

let built: string | undefined;

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

/** Path of dist/<nameSlug>_<version>.zip, freshly packaged by scripts/package-app.js. */
export function buildAppZip(): string {
    if (!built) {
        execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package-app.js')], { cwd: REPO_ROOT, stdio: 'pipe' });
        const manifest = readAppManifest();
        built = path.join(REPO_ROOT, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`);
    }
    return built;
}
