/** The admin CLI's dispatcher (SPEC section 7); each command lives in its own file. */
import { ConfigError, loadConfig } from '../config.js';
import { CliError, type CliIo } from './io.js';
import { backupCommand } from './backup.js';
import { cacheConfigCommand } from './cacheConfig.js';
import { checkCommand } from './check.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { exportXmlCommand } from './exportXml.js';
import { importXmlCommand } from './importXml.js';
import { migrateCommand } from './migrate.js';
import { userCommand } from './user.js';

const USAGE = `usage: npm run wiki -- <command>
  migrate                          apply pending database migrations
  user add NAME --role admin|user  create an account (password read from stdin)
  user role NAME admin|user        change an account's role
  user password NAME               set a new password (read from stdin); ends the account's sessions
  backup FILE [--force]            copy the database, safe while the server runs
  export DIR                       one .md file per page and history.json with every revision
  import DIR                       read an export back in, keeping authors and times
  export-xml FILE [--for-mediawiki] the whole history as a MediaWiki XML export (schema 0.11)
  import-xml FILE                  read a MediaWiki XML export in, wikitext converted to Markdown
  check [--reindex]                verify the database and every revision's hash;
                                   --reindex also rebuilds the search index and link tables
  cache-config varnish [--backend HOST:PORT]
                                   print a Varnish VCL for a cache in front of the wiki
exit status: 0 done, 1 failed or found problems, 2 bad input (nothing changed)`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const config = loadConfig(io.env);
    switch (command) {
      case 'migrate':
        return migrateCommand(config, rest, io);
      case 'user':
        return await userCommand(config, rest, io);
      case 'backup':
        return await backupCommand(config, rest, io);
      case 'export':
        return exportCommand(config, rest, io);
      case 'import':
        return importCommand(config, rest, io);
      case 'export-xml':
        return exportXmlCommand(config, rest, io);
      case 'import-xml':
        return await importXmlCommand(config, rest, io);
      case 'check':
        return checkCommand(config, rest, io);
      case 'cache-config':
        return cacheConfigCommand(config, rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command "${command}".\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof CliError || e instanceof ConfigError) {
      io.err(`wiki: ${e.message}`);
      return 2;
    }
    io.err(`wiki: ${(e as Error).message}`);
    return 1;
  }
}
