/**
 * `npm test` (scripts/test.js) runs these files in one worker per core plus one, longest first. Each file starts its
 * own FerretDB and servers on free loopback ports, so files never share state.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Transpile only (tsconfig has isolatedModules): ts-jest's type-checking language service cost
  // ~6 CPU-seconds per file; `npm test` type-checks everything once with tsc before jest starts.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  // A ceiling per test; the waits inside tests scale with the load (test/support/timeouts.ts).
  testTimeout: 120000,
  testSequencer: '<rootDir>/test/support/jest/sequencer.js',
  reporters: ['default', '<rootDir>/test/support/jest/slowest-reporter.js'],
  modulePathIgnorePatterns: ['<rootDir>/.build/', '<rootDir>/dist/', '<rootDir>/.data/'],
};
