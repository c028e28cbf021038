#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ with tsc and copies what tsc does not (views, static
// files), so production runs plain `node dist/main.js`. Incremental: an unchanged tree takes ~1 s.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

for (const dir of ['views', 'public', 'locales']) {
  fs.rmSync(path.join(dist, dir), { recursive: true, force: true });
  fs.cpSync(path.join(src, dir), path.join(dist, dir), { recursive: true });
}
// Compiled files whose source is gone (renamed or deleted modules) must not linger.
for (const file of walk(dist)) {
  if (!/\.js(\.map)?$/.test(file) || file.includes(`${path.sep}public${path.sep}`)) continue;
  const ts = path.join(src, path.relative(dist, file)).replace(/\.js(\.map)?$/, '.ts');
  if (!fs.existsSync(ts)) fs.rmSync(file);
}
fs.chmodSync(path.join(dist, 'cli', 'main.js'), 0o755);

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}
