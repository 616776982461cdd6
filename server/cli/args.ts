/** Argument parsing shared by the CLI commands: positionals and boolean flags, anything else refused. */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { CliError } from './io.js';

/**
 * Split `args` into exactly `positionals.length` positional values and the named boolean flags.
 * @throws CliError naming the problem and showing `usage`.
 */
export function commandArgs<F extends string>(
  args: string[],
  usage: string,
  positionals: string[],
  flags: readonly F[] = [],
): { values: string[]; flags: Record<F, boolean> } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(flags.map((f) => [f, { type: 'boolean' as const }])),
    });
  } catch (e) {
    // node:util words these as "Unknown option '--x'"; keep its wording, add ours.
    throw new CliError(`${(e as Error).message.split('. ')[0]}.\nusage: ${usage}`);
  }
  if (parsed.positionals.length < positionals.length) {
    throw new CliError(`missing ${positionals.slice(parsed.positionals.length).join(' ')}.\nusage: ${usage}`);
  }
  if (parsed.positionals.length > positionals.length) {
    throw new CliError(`unexpected "${parsed.positionals[positionals.length]}".\nusage: ${usage}`);
  }
  const values = parsed.values as Record<string, boolean | undefined>;
  return {
    values: parsed.positionals,
    flags: Object.fromEntries(flags.map((f) => [f, values[f] === true])) as Record<F, boolean>,
  };
}

/**
 * Check that the wiki's database file exists before opening it: opening would create an empty one.
 * @throws CliError saying how to point WIKI_DB at the right file.
 */
export function requireDatabase(file: string): void {
  if (file === ':memory:' || !existsSync(file)) {
    throw new CliError(`there is no database at ${file}; set WIKI_DB to the wiki's database file (the server's default is data/wiki.db).`);
  }
}
