// `backup FILE` / `restore FILE`: the provider's whole database in one file (store/backup.ts).
// Backup works while the provider runs; restore needs the provider stopped and a database without
// users, clients or tokens (a fresh DATA_DIR, or an empty MONGO_DB).
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../kernel/config';
import { providerVersion } from '../kernel/version';
import { AppError } from '../kernel/errors';
import { dataDirOwner } from '../db/data-dir-lock';
import { holdsData, readBackup, restoreBackup, writeBackup } from '../store/backup';
import { withServices } from './context';
import type { GlobalOptions } from './options';

export function backupCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('backup')
    .description('write the whole database to FILE (gzip\'d JSON lines); safe while the provider runs')
    .argument('<file>', 'where to write the backup (replaced if it exists)')
    .action(async (file: string) => {
      const target = path.resolve(file);
      await withServices(globals().json, async ({ db, audit, out }) => {
        const header = await writeBackup(db, target, providerVersion());
        await audit.record('cli', 'backup', target, { collections: Object.keys(header.collections).length });
        const total = Object.values(header.collections).reduce((a, b) => a + b, 0);
        out.result({ file: target, ...header }, () => [`Backed up ${total} document(s) from ${Object.keys(header.collections).length} collection(s) to ${target}.`]);
      });
    });

  program
    .command('restore')
    .description('load a backup FILE into an empty database (stop the provider first)')
    .argument('<file>', 'a file written by `hrm-sso backup`')
    .action(async (file: string) => {
      const source = path.resolve(file);
      const config = loadConfig();
      if (!config.MONGO_URL) {
        const owner = dataDirOwner(config.DATA_DIR);
        if (owner) throw new AppError('provider_running', `A provider is running on ${config.DATA_DIR} (pid ${owner.pid}, port ${owner.port}): stop it before restoring; nothing was changed.`);
      }
      // Read and check the whole file before touching the database.
      const backup = await readBackup(source);
      await withServices(globals().json, async ({ db, audit, out }) => {
        if (await holdsData(db)) {
          throw new AppError('database_not_empty', `The database ${config.MONGO_DB} already holds users, clients or tokens: restore into a fresh DATA_DIR (or an empty MONGO_DB); nothing was changed.`);
        }
        const restored = await restoreBackup(db, backup);
        await audit.record('cli', 'restore', source, { createdAt: backup.header.createdAt });
        const total = Object.values(restored).reduce((a, b) => a + b, 0);
        out.result({ file: source, restored, backupCreatedAt: backup.header.createdAt }, () => [`Restored ${total} document(s) in ${Object.keys(restored).length} collection(s) from ${source} (made ${backup.header.createdAt}).`]);
      });
    });
}
