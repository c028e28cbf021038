/**
 * Makes this test file's AppHost run on Apps-Engine 1.62.0 and its Deno subprocess runtime
 * instead of the in-process 1.42.1: every `@rocket.chat/apps-engine/…` module the host and its
 * bridges import is mapped (jest.doMock, this file's module registry only) to the prepared 1.62
 * copy (runtime.ts). Call it before requiring AppHost. The host's bridges are the same classes,
 * so they now extend 1.62's abstract bridges and its permission checks run as in Rocket.Chat.
 * The test file must `require` (not `import`) every host module after calling this: imports are
 * hoisted and would load the 1.42.1 classes first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DenoEngine, prepareDenoEngine } from './runtime';

const PREFIX = '@rocket.chat/apps-engine/';
const HOST_DIR = path.resolve(__dirname, '..');

function hostSpecifiers(): string[] {
    const found = new Set<string>();
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(full);
            } else if (entry.name.endsWith('.ts')) {
                for (const match of fs.readFileSync(full, 'utf8').matchAll(/['"](@rocket\.chat\/apps-engine\/[\w/.-]+)['"]/g)) {
                    found.add(match[1]);
                }
            }
        }
    };
    walk(HOST_DIR);
    return [...found];
}

export function useAppsEngine162(): DenoEngine {
    const engine = prepareDenoEngine();
    for (const specifier of hostSpecifiers()) {
        const target = path.join(engine.engineDir, specifier.slice(PREFIX.length));
        jest.doMock(specifier, () => jest.requireActual(target));
    }
    // The engine bundles the app with esbuild, whose service process outlives the test file
    // unless stopped (npm test named it as a leftover after every run).
    afterAll(() => {
        const esbuild = jest.requireActual(require.resolve('esbuild', { paths: [path.join(engine.engineDir, 'server', 'runtime', 'deno')] })) as { stop(): void | Promise<void> };
        return esbuild.stop();
    });
    return engine;
}
