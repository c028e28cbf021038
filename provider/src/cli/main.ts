// `hrm-sso <command>` (npx hrm-sso, provider/bin/hrm-sso.js): the admin CLI. Every failure ends as one "Error: …" line on
// stderr and a non-zero exit; stack traces are for bugs, and even those are reduced to a line.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../kernel/config';
import { DatabaseUnavailableError } from '../db/connect';
import { EmbeddedDbError } from '../db/embedded-ferretdb';
import { AppError } from '../kernel/errors';
import { clientCommands } from './clients';
import { keyCommands } from './keys';
import { registrationCommands } from './registration';
import { printError, UsageError } from './output';
import { migrateCommand } from './migrate';
import { tokenCommands } from './tokens';
import { userCommands } from './users';
import { mailCommands } from './mail';

export type { GlobalOptions } from './options';
import type { GlobalOptions } from './options';
import { backupCommands } from './backup';
import { providerVersion } from '../kernel/version';

/** Exit codes: 1 = the command failed, 2 = bad usage or configuration. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('hrm-sso')
    .description('HRM SSO provider administration: users, OAuth clients, tokens, database migrations')
    .version(providerVersion(), '-V, --version', 'print the version')
    .option('--json', 'machine-readable output on stdout')
    .exitOverride()
    .configureOutput({
      // Commander's own messages ("error: unknown option …") get our single-line shape.
      outputError: (str) => printError(str.replace(/^error:\s*/i, '')),
    });
  const globals = (): GlobalOptions => ({ json: Boolean(program.opts().json) });
  userCommands(program, globals);
  clientCommands(program, globals);
  tokenCommands(program, globals);
  migrateCommand(program, globals);
  keyCommands(program, globals);
  registrationCommands(program, globals);
  mailCommands(program, globals);
  backupCommands(program, globals);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Help and version are "errors" to commander but successes to the user.
    if (err.exitCode === 0) return 0;
    return EXIT_USAGE; // commander already printed its message
  }
  if (err instanceof ConfigError || err instanceof UsageError) {
    printError(err.message);
    return EXIT_USAGE;
  }
  if (err instanceof AppError || err instanceof DatabaseUnavailableError || err instanceof EmbeddedDbError) {
    printError(err.message);
    return EXIT_FAILED;
  }
  printError(`unexpected failure: ${(err as Error)?.message ?? String(err)}`);
  return EXIT_FAILED;
}

if (require.main === module) {
  run(process.argv).then((code) => process.exit(code));
}
