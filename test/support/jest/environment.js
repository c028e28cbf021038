// jest-environment-node, plus one HTTP connection pool per test file, closed when the file ends.
// Node's fetch keeps connections alive in one process-wide pool; a response whose body a test never
// read holds its socket open (CLOSE-WAIT once the server has gone), which kept a jest worker alive
// after its last file ("a worker process has failed to exit gracefully and has been force exited").
'use strict';
const { TestEnvironment } = require('jest-environment-node');

// Node's bundled undici keeps its global dispatcher here (created by the first fetch).
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');

class PerFilePoolEnvironment extends TestEnvironment {
  async setup() {
    await super.setup();
    await fetch('data:,'); // makes Node create its dispatcher, whose class gives this file's pool
    this.previousDispatcher = globalThis[DISPATCHER];
    this.pool = new this.previousDispatcher.constructor();
    globalThis[DISPATCHER] = this.pool;
  }

  async teardown() {
    if (this.pool) {
      globalThis[DISPATCHER] = this.previousDispatcher;
      await this.pool.destroy().catch(() => undefined);
    }
    await super.teardown();
  }
}

module.exports = PerFilePoolEnvironment;
