// Longest test files first, so the workers finish together instead of one waiting on a long
// file started last. Times come from the last run on this machine (.build/suite-times.json),
// else from test/suite-times.json (measured and committed), else file size.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

function readTimes(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const root = tests[0]?.context.config.rootDir ?? process.cwd();
    const times = { ...readTimes(path.join(root, 'test', 'suite-times.json')), ...readTimes(path.join(root, '.build', 'suite-times.json')) };
    const weight = (t) => times[path.relative(root, t.path)] ?? fs.statSync(t.path).size / 1000;
    return [...tests].sort((a, b) => weight(b) - weight(a));
  }
}

module.exports = LongestFirstSequencer;
