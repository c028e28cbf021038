#!/usr/bin/env node
// `hrm-sso …` (npx hrm-sso, or in the container): the provider's admin CLI, compiled.
const fs = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write("Error: the provider is not built yet: run 'npm run build' first.\n");
  process.exit(2);
}
require(entry)
  .run(process.argv)
  .then((code) => process.exit(code));
