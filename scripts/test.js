#!/usr/bin/env node
/**
 * `npm test`: checks the cheap preconditions first and provisions what it can (as `npm start`
 * does: the FerretDB binary, the Python test virtualenv; Chromium, slapd and Docker's packages
 * when running as root), stopping within seconds with one sentence when something cannot be
 * provided. Then: typecheck, layering check (dependency-cruiser), provider build, app zip, and
 * jest in one worker per core plus one. Extra arguments go to jest (`npm test -- test/web`).
 *
 * Environment: TEST_WORKERS (default: cores + 1), TEST_TIMEOUT_SCALE (see test/support/timeouts.ts).
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const started = Date.now();

function stop(sentence) {
  process.stderr.write(`\nnpm test cannot run: ${sentence}\n`);
  process.exit(1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(what, command, args, opts = {}) {
  const t0 = Date.now();
  process.stdout.write(`▸ ${what}\n`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    if (opts.sentence) stop(opts.sentence);
    process.stderr.write(`\n✗ ${what} failed (exit ${r.status ?? r.signal}).\n`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

function aptInstall(pkgs, why) {
  if (!isRoot || !has('apt-get')) {
    stop(`${why} is missing: run \`sudo apt-get install -y ${pkgs.join(' ')}\`, then \`npm test\` again.`);
  }
  run(`installing ${pkgs.join(', ')} (${why})`, 'sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs.join(' ')} >/dev/null`], {
    sentence: `installing ${pkgs.join(' ')} with apt-get failed: run \`apt-get install -y ${pkgs.join(' ')}\` yourself, then \`npm test\` again.`,
  });
}

/** CHROMIUM_PATH, when set, is the only candidate (also how the test of this script hides it). */
function chromiumFound() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.some((p) => fs.existsSync(p));
}

// 1. Cheap preconditions (seconds), provisioning what can be provisioned.
function preconditions() {
  if (!fs.existsSync(path.join(ROOT, 'node_modules', '.bin', 'jest'))) stop('the dependencies are not installed: run `npm ci` first.');
  if (!fs.existsSync('/usr/sbin/slapd') && !has('slapd')) aptInstall(['slapd', 'ldap-utils'], 'OpenLDAP (slapd, for the directory sync tests)');
  if (!chromiumFound()) aptInstall(['chromium'], "Debian's chromium (for the browser tests)");
  if (!isRoot && !has('dockerd')) {
    stop('Docker is missing and the container test needs it: run `sudo bash scripts/setup-docker.sh install` (Debian docker.io and debootstrap), then `npm test` again.');
  }
  if (!process.env.FERRETDB_BIN) {
    const check = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-ferretdb.sh'), '--check'], { cwd: ROOT, stdio: 'ignore' });
    if (check.status !== 0) {
      if (!has('go')) stop('FerretDB (the tests\' database) is not built and there is no Go toolchain to build it: install Go 1.24+ and run `npm run setup:ferretdb`.');
      run('installing FerretDB, the tests\' database (from ~/.cache/hrm-sso, else built once: a few minutes)', 'bash', [path.join(ROOT, 'scripts', 'install-ferretdb.sh')], {
        sentence: 'building FerretDB failed (see above): fix that, or run `npm run setup:ferretdb` to retry.',
      });
    }
  }
  const venvReady = fs.existsSync(path.join(ROOT, '.venv', 'bin', 'schemathesis')) && fs.existsSync(path.join(ROOT, '.venv', '.requirements-installed')) &&
    fs.readFileSync(path.join(ROOT, '.venv', '.requirements-installed'), 'utf8') === fs.readFileSync(path.join(ROOT, 'test', 'requirements.txt'), 'utf8');
  if (!venvReady) {
    if (!has('python3')) stop('Python 3 is missing (the tests run Django OAuth Toolkit, schemathesis and scim2-tester): install python3 and python3-venv, then `npm test` again.');
    run('creating the Python test virtualenv (.venv/)', 'bash', [path.join(ROOT, 'scripts', 'setup-python.sh')], {
      sentence: 'setting up the Python test virtualenv failed (see above): run `bash scripts/setup-python.sh` to retry.',
    });
  }
}

/**
 * Runs lanes of steps side by side (each lane in order), output kept per step and printed when it
 * ends, so two lanes never interleave lines. The first failure prints its output and stops.
 */
async function runLanes(lanes) {
  const runStep = ([what, command, args]) =>
    new Promise((resolve) => {
      const t0 = Date.now();
      process.stdout.write(`▸ ${what}\n`);
      const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code, signal) => {
        process.stdout.write(output);
        if (code !== 0) {
          process.stderr.write(`\n✗ ${what} failed (exit ${code ?? signal}).\n`);
          process.exit(code || 1);
        }
        process.stdout.write(`  ✓ ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
        resolve();
      });
    });
  await Promise.all(lanes.map(async (steps) => {
    for (const step of steps) await runStep(step);
  }));
}

async function main() {
  preconditions();
  // 2. Static checks and builds shared by every suite: two lanes on the two cores.
  const node = process.execPath;
  await runLanes([
    [
      ['typecheck', node, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']],
      ['layering (dependency-cruiser)', node, [path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), 'provider/src', 'app-src', 'HrmSsoApp.ts', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']],
    ],
    [
      ['provider build', node, [path.join(ROOT, 'provider', 'scripts', 'build.js')]],
      ['app zip', node, [path.join(ROOT, 'scripts', 'package-app.js')]],
    ],
  ]);
  runSuites();
}

function runSuites() {
  // 3. The suites, in their own process group: whatever a test leaves running (a browser, a server)
  // is stopped with the group when jest ends, so `npm test` never hangs on a leftover child.
  // Cores + 1: a file spends part of its time waiting on the processes it started (FerretDB, a
  // browser, dockerd), so one more worker than cores fills the machine (2 cores: 3 workers took
  // jest from 524 s to 483 s; 4 only added contention).
  const workers = process.env.TEST_WORKERS || String(os.availableParallelism() + 1);
  const jest = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), `--maxWorkers=${workers}`, ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true,
  });
  const killGroup = (signal) => {
    try {
      process.kill(-jest.pid, signal);
      return true;
    } catch {
      return false;
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => killGroup(signal));
  /** What is still running in jest's process group (Linux /proc), to name it when it is stopped. */
  function leftovers() {
    try {
      return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(fields[2]) === jest.pid ? [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))] : [];
        } catch {
          return [];
        }
      });
    } catch {
      return [];
    }
  }
  jest.on('exit', (code, signal) => {
    const left = leftovers();
    if (killGroup('SIGKILL')) process.stdout.write(`npm test: stopped what the tests left running${left.length ? `: ${[...new Set(left)].join(', ')}` : ''}.\n`);
    process.stdout.write(`npm test: ${((Date.now() - started) / 60000).toFixed(1)} min in all\n`);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main();
