// Local stand-in for jsr:@std/cli/parse-args: minimist (npm) parses the runtime's
// `--subprocess <appId> --spawnId <n>` the same way. Test host only.
import minimist from 'npm:minimist@1.2.8';

/** @param {string[]} args */
export function parseArgs(args) {
    return minimist(args);
}
