/** Command-line options of `npm run bench -- ...`, checked once. */
import { availableParallelism } from 'node:os';

export interface BenchOptions {
  pages: number;
  revisions: number;
  /** Length of each load phase. */
  seconds: number;
  connections: number;
  /** WIKI_WORKERS of the server, and the baselines' processes. */
  workers: number;
  /** Run the server under `node --cpu-prof` and summarise where it spent each phase. */
  profile: boolean;
  /** Keep the generated database (its folder is printed). */
  keep: boolean;
  seed: number;
  /** Run just this phase after generating (for working on one figure); undefined: every phase. */
  only: Phase | undefined;
  /** Folder of a generated wiki to start from (made there first when missing): saves the generation on reruns. */
  generated: string | undefined;
}

export const PHASES = ['views', 'api', 'edits', 'worst', 'hostile'] as const;
export type Phase = (typeof PHASES)[number];

export const USAGE = `usage: npm run bench -- [--pages N] [--revisions M] [--seconds S] [--connections C] [--workers W] [--profile] [--keep] [--seed K] [--only PHASE]
  --pages N        pages to generate, 1 to 100000 (default 1000)
  --revisions M    revisions to generate, N to 1000000 (default 20 a page, at most 1000000)
  --seconds S      length of each load phase, 1 to 120 (default 8)
  --connections C  concurrent keep-alive connections of the load generator, 1 to 1024 (default 32)
  --workers W      server processes (WIKI_WORKERS; the baselines run as many), 1 to 256 (default: the cores, ${availableParallelism()})
  --profile        profile the server (node --cpu-prof) and summarise each phase on stderr
  --keep           keep the temporary folder (database, captured page, profiles) and print where it is
  --seed K         seed of the generated wiki (default 1)
  --only PHASE     run one phase: views, api, edits, worst (1 MiB diffs) or hostile (hostile inputs)
  --generated DIR  start from the wiki generated in DIR with the same --pages, --revisions and --seed
                   (a copy of it; generated there first when DIR holds none): for reruns at 100,000 pages`;

export class UsageError extends Error {
  override name = 'UsageError';
}

const NUMBERS = { '--pages': [1, 100_000], '--revisions': [1, 1_000_000], '--seconds': [1, 120], '--connections': [1, 1024], '--workers': [1, 256], '--seed': [1, 2 ** 31] } as const;

/** @throws UsageError naming the bad option. */
export function parseArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = { pages: 1_000, revisions: 20_000, seconds: 8, connections: 32, workers: availableParallelism(), profile: false, keep: false, seed: 1, only: undefined, generated: undefined };
  let revisionsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--profile' || arg === '--keep') {
      o[arg === '--profile' ? 'profile' : 'keep'] = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    if (arg === '--generated') {
      const dir = argv[++i];
      if (!dir) throw new UsageError('--generated needs a folder');
      o.generated = dir;
      continue;
    }
    if (arg === '--only') {
      const phase = argv[++i];
      if (!(PHASES as readonly string[]).includes(phase ?? '')) throw new UsageError(`--only needs one of ${PHASES.join(', ')}, not ${phase ?? 'nothing'}`);
      o.only = phase as Phase;
      continue;
    }
    const range = NUMBERS[arg as keyof typeof NUMBERS];
    if (!range) throw new UsageError(`unknown option ${arg}`);
    const value = argv[++i];
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1]) {
      throw new UsageError(`${arg} needs a whole number from ${range[0]} to ${range[1]}, not ${value ?? 'nothing'}`);
    }
    const key = arg.slice(2) as 'pages' | 'revisions' | 'seconds' | 'connections' | 'workers' | 'seed';
    o[key] = Number(value);
    if (key === 'revisions') revisionsGiven = true;
  }
  // --pages alone keeps the default 20 revisions a page (up to the maximum).
  if (!revisionsGiven) o.revisions = Math.min(1_000_000, o.pages * 20);
  if (o.revisions < o.pages) throw new UsageError(`--revisions (${o.revisions}) must be at least --pages (${o.pages}): every page has a revision`);
  return o;
}
