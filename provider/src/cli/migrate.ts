// `migrate`: applies the numbered schema migrations (the server also does at start-up) and reports.
import { Command } from 'commander';
import { LATEST_MIGRATION, MIGRATIONS, migrationLevel } from '../db/migrations';
import { withServices } from './context';
import type { GlobalOptions } from './options';

export function migrateCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the server also applies them when it starts)')
    .action(async () => {
      // Connecting applies what is pending (connectDatabase); report what that did.
      await withServices(globals().json, async ({ db, audit, out }) => {
        const applied = db.migrationsApplied;
        if (applied.length) await audit.record('cli', 'migrate', 'database', { applied });
        const level = await migrationLevel(db);
        out.result({ applied, level, latest: LATEST_MIGRATION }, () =>
          applied.length
            ? [`Applied ${applied.length} migration(s):`, ...applied.map((id) => `  ${id}. ${MIGRATIONS.find((m) => m.id === id)?.name}`), `Database is at migration ${level}.`]
            : [`Database is up to date (migration ${level} of ${LATEST_MIGRATION}).`],
        );
      });
    });
}
