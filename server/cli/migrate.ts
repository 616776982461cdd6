/** `wiki migrate`: apply pending migrations. */
import type { Config } from '../config.js';
import { openDatabase, closeDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { CliError, type CliIo } from './io.js';

export function migrateCommand(config: Config, args: string[], io: CliIo): number {
  if (args.length) throw new CliError('migrate takes no arguments.');
  const db = openDatabase(config.dbFile);
  try {
    const applied = migrate(db);
    io.out(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')} to ${config.dbFile}` : `${config.dbFile} is up to date`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}
