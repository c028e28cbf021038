/**
 * Prepares Apps-Engine 1.62.0 (npm alias @rocket.chat/apps-engine-1.62, the newest npm release
 * that still ships the Deno runtime) to run apps in its Deno subprocess on this machine, outside
 * the repository (no package.json above the runtime folder: `deno install` would rewrite npm's
 * node_modules), in <tmp>/hrm-sso-apps-engine-1.62-<key>/:
 *   node_modules/@rocket.chat/apps-engine/   a copy of the 1.62 package, with
 *     deno-runtime/deno.jsonc                 the three jsr:@std imports mapped to local files
 *     deno-runtime/std/                        (./std/: writeAll, toArrayBuffer, parseArgs via minimist)
 *     src/definition/exceptions/…             the AppsEngineException the runtime imports from src/
 *                                              (not in the npm package): re-exports the compiled class
 *   node_modules/<everything else>          symlinks to the repository's node_modules (`mem` included,
 *                                              which server/ProxiedApp.js needs but does not declare)
 * then pre-caches the runtime's imports with `deno install --entrypoint main.ts` (the engine runs
 * Deno with --cached-only). Deno is the npm `deno` package (+ @deno/linux-x64-glibc). All of this
 * is the test host's; the app itself is the unchanged zip.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SOURCE = path.join(REPO_ROOT, 'node_modules', '@rocket.chat', 'apps-engine-1.62');
const STD = path.join(__dirname, 'std');
export const DENO_BIN_DIR = path.join(REPO_ROOT, 'node_modules', '.bin');

export interface DenoEngine {
    /** The prepared engine package (require its server/… and definition/… from here). */
    readonly engineDir: string;
    /** Where Deno keeps the pre-cached modules (the engine passes DENO_DIR to its subprocess). */
    readonly denoDir: string;
    /** The folder the engine writes temporary files to and links the runtime into. */
    readonly tempDir: string;
}

function key(): string {
    const hash = crypto.createHash('sha256');
    hash.update(fs.readFileSync(path.join(SOURCE, 'package.json')));
    for (const file of fs.readdirSync(STD).sort()) {
        hash.update(fs.readFileSync(path.join(STD, file)));
    }
    hash.update(fs.readFileSync(__filename));
    return hash.digest('hex').slice(0, 12);
}

function linkNodeModules(target: string): void {
    const repoModules = path.join(REPO_ROOT, 'node_modules');
    fs.mkdirSync(path.join(target, '@rocket.chat'), { recursive: true });
    for (const entry of fs.readdirSync(repoModules)) {
        if (entry === '@rocket.chat' || entry === '.bin' || entry.startsWith('.')) {
            continue;
        }
        fs.symlinkSync(path.join(repoModules, entry), path.join(target, entry));
    }
    for (const entry of fs.readdirSync(path.join(repoModules, '@rocket.chat'))) {
        if (!entry.startsWith('apps-engine')) {
            fs.symlinkSync(path.join(repoModules, '@rocket.chat', entry), path.join(target, '@rocket.chat', entry));
        }
    }
}

function patchRuntime(engineDir: string): void {
    const runtime = path.join(engineDir, 'deno-runtime');
    const configPath = path.join(runtime, 'deno.jsonc');
    // deno.jsonc has no comments in 1.62.0; parse it as JSON and fail loudly if that changes.
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { imports: Record<string, string>; nodeModulesDir?: string };
    delete config.imports['@std/cli'];
    delete config.imports['@std/io'];
    delete config.imports['@std/streams'];
    config.imports['@std/cli/parse-args'] = './std/parse-args.js';
    config.imports['@std/io'] = './std/io.js';
    config.imports['@std/streams'] = './std/streams.js';
    // npm packages from Deno's own cache, never a node_modules folder next to a package.json.
    config.nodeModulesDir = 'none';
    fs.writeFileSync(configPath, `${JSON.stringify(config, null, '\t')}\n`);
    fs.rmSync(path.join(runtime, 'deno.lock'), { force: true });
    fs.cpSync(STD, path.join(runtime, 'std'), { recursive: true });
    const exception = path.join(engineDir, 'src', 'definition', 'exceptions');
    fs.mkdirSync(exception, { recursive: true });
    fs.writeFileSync(
        path.join(exception, 'AppsEngineException.ts'),
        "// The runtime imports this from the engine's TypeScript sources, which the npm package does not ship.\n" +
            "export { AppsEngineException } from '../../../definition/exceptions/AppsEngineException.js';\n",
    );
}

/** The machine's environment (its CA and proxy settings reach the npm registry) plus Deno's cache and binary. */
function denoEnv(denoDir: string): NodeJS.ProcessEnv {
    return { ...process.env, PATH: `${DENO_BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1' };
}

/** Idempotent: a finished preparation (marker file) is reused across test runs. */
export function prepareDenoEngine(): DenoEngine {
    const root = path.join(os.tmpdir(), `hrm-sso-apps-engine-1.62-${key()}`);
    const engineDir = path.join(root, 'node_modules', '@rocket.chat', 'apps-engine');
    const denoDir = path.join(engineDir, '.deno-cache');
    const tempDir = path.join(root, 'tmp');
    const marker = path.join(root, 'ready');
    if (!fs.existsSync(marker)) {
        fs.rmSync(root, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(engineDir), { recursive: true });
        fs.cpSync(SOURCE, engineDir, { recursive: true, dereference: true });
        linkNodeModules(path.join(root, 'node_modules'));
        patchRuntime(engineDir);
        try {
            execFileSync('deno', ['install', `--config=${path.join(engineDir, 'deno-runtime', 'deno.jsonc')}`, '--entrypoint', 'main.ts'], {
                cwd: path.join(engineDir, 'deno-runtime'),
                env: { ...denoEnv(denoDir), NO_COLOR: '1' },
                stdio: 'pipe',
                timeout: 300_000,
            });
        } catch (error) {
            const stderr = String((error as { stderr?: Buffer }).stderr ?? '').split('\n').filter((l) => !l.startsWith('Download')).join('\n');
            throw new Error(`deno install failed for the Apps-Engine 1.62 runtime: ${stderr.slice(0, 2000) || (error as Error).message}`);
        }
        fs.writeFileSync(marker, new Date().toISOString());
    }
    fs.mkdirSync(tempDir, { recursive: true });
    // The engine spawns `deno` from PATH.
    if (!(process.env.PATH ?? '').split(path.delimiter).includes(DENO_BIN_DIR)) {
        process.env.PATH = `${DENO_BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`;
    }
    process.env.DENO_DIR = denoDir;
    return { engineDir, denoDir, tempDir };
}

if (require.main === module) {
    const started = Date.now();
    const engine = prepareDenoEngine();
    process.stdout.write(`${JSON.stringify(engine)} in ${Date.now() - started} ms\n`);
}
