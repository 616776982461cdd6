/** Entry of `npm run wiki -- <command>`: runs the CLI on this process's arguments and streams. */
import { runCli } from './run.js';
import { processIo } from './io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
