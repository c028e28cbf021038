/** The zip `npm run app:package` builds holds the app and nothing else. */
import * as fs from 'fs';
import * as path from 'path';
import { buildAppZip, readAppManifest, REPO_ROOT } from '../support/apphost/buildAppZip';

type Zip = { getEntries(): Array<{ entryName: string; isDirectory: boolean; getData(): Buffer }> };
// adm-zip ships with the Apps-Engine and has no type declarations.
const AdmZip = require('adm-zip') as new (file: string) => Zip;

function appSources(dir: string): string[] {
    return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = `${dir}/${e.name}`;
        return e.isDirectory() ? appSources(rel) : e.name.endsWith('.ts') ? [rel] : [];
    });
}

describe('the packaged app zip', () => {
    let entries: Map<string, Buffer>;

    beforeAll(() => {
        const zip = new AdmZip(buildAppZip());
        entries = new Map(zip.getEntries().filter((e) => !e.isDirectory).map((e) => [e.entryName, e.getData()]));
    }, 120_000);

    test('is named after the manifest and lands in dist/', () => {
        const manifest = readAppManifest();
        expect(buildAppZip()).toBe(path.join(REPO_ROOT, 'dist', `${manifest.nameSlug}_${manifest.version}.zip`));
    });

    test('holds only the manifest, compiled app code, translations, icon and package.json', () => {
        const allowed = /^(\.packagedby|app\.json|package\.json|icon\.png|HrmSsoApp\.js|i18n\/[A-Za-z-]+\.json|app-src\/[\w/.-]+\.js)$/;
        const names = [...entries.keys()];
        expect(names.filter((n) => !allowed.test(n))).toEqual([]);
        expect(names.some((n) => /^(provider|test|bench|scripts|docs|node_modules|\.data|\.build|dist)\//.test(n))).toBe(false);
        expect(names.some((n) => n.endsWith('.ts'))).toBe(false);
    });

    test('compiles every app source file', () => {
        const expected = ['HrmSsoApp.ts', ...appSources('app-src')].map((f) => f.replace(/\.ts$/, '.js')).sort();
        expect([...entries.keys()].filter((n) => n.endsWith('.js')).sort()).toEqual(expected);
    });

    test('carries the same manifest, translations and icon', () => {
        const zipped = JSON.parse(entries.get('app.json')!.toString('utf8'));
        const manifest = readAppManifest();
        expect(zipped).toEqual(expect.objectContaining({ id: manifest.id, version: manifest.version, permissions: manifest.permissions, requiredApiVersion: '^1.42.1', classFile: 'HrmSsoApp.ts' }));
        expect(entries.get('i18n/en.json')!.equals(fs.readFileSync(path.join(REPO_ROOT, 'i18n', 'en.json')))).toBe(true);
        expect(entries.get('icon.png')!.subarray(1, 4).toString('latin1')).toBe('PNG');
    });

    test('declares exactly the permissions the app uses', () => {
        expect(readAppManifest().permissions.map((p) => p.name).sort()).toEqual(['api', 'message.write', 'networking', 'persistence', 'room.read', 'room.write', 'scheduler', 'server-setting.read', 'slashcommand', 'ui.interact', 'ui.registerButtons', 'user.read', 'user.write']);
    });

    test('translates every setting label and the command', () => {
        const en = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'i18n', 'en.json'), 'utf8')) as Record<string, string>;
        const sources = ['HrmSsoApp.ts', ...appSources('app-src')].map((f) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).join('\n');
        const keys = ['hrm-oauth-client-id', 'hrm-oauth-client-secret', 'hrm-command-params', 'hrm-command-description'];
        for (const id of sources.matchAll(/(hrm-[a-z-]+)['`]/g)) {
            if (/^hrm-(provider-url|authorize-path|token-path|revoke-path|userinfo-path|scopes|require-identity-match)$/.test(id[1])) {
                keys.push(`${id[1]}-label`, `${id[1]}-description`);
            }
        }
        for (const key of keys) {
            expect(en[key]).toEqual(expect.any(String));
        }
    });
});
