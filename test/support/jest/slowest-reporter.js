// Prints the ten slowest test files after the run (and writes every file's time to
// .build/suite-times.json, which test/support/jest/sequencer.js uses to start the longest first).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

class SlowestSuitesReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const rows = results.testResults
      .map((r) => ({ file: path.relative(this.rootDir, r.testFilePath), seconds: (r.perfStats.end - r.perfStats.start) / 1000 }))
      .filter((r) => Number.isFinite(r.seconds))
      .sort((a, b) => b.seconds - a.seconds);
    if (!rows.length) return;
    const lines = rows.slice(0, 10).map((r) => `  ${r.seconds.toFixed(1).padStart(7)} s  ${r.file}`);
    process.stdout.write(`\nSlowest test files:\n${lines.join('\n')}\n`);
    try {
      const file = path.join(this.rootDir, '.build', 'suite-times.json');
      const known = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
      for (const r of rows) known[r.file] = Math.round(r.seconds * 10) / 10;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(known, null, 2) + '\n');
    } catch {
      // Timings only order the next run; never fail a run over them.
    }
  }
}

module.exports = SlowestSuitesReporter;
