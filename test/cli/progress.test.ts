import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { progress } from '../../server/cli/progress.js';
import { runCli } from '../../server/cli/run.js';
import { buildSampleWiki, capture, cleanupDirs, tempDir } from '../helpers/cli.js';

afterEach(cleanupDirs);

function terminal(isTty = true) {
  const written: string[] = [];
  return { io: { ...capture(':memory:', { isTty }).cli, status: (t: string) => written.push(t) }, written };
}

describe('progress bar', () => {
  it('draws nothing when standard error is not a terminal', () => {
    const { io, written } = terminal(false);
    const bar = progress(io, 'work', 10);
    for (let i = 0; i < 10; i++) bar.tick();
    bar.done();
    expect(written).toEqual([]);
  });

  it('redraws one line in place, at most every 100 ms, always at the end, then erases it', () => {
    const { io, written } = terminal();
    let clock = 0;
    const bar = progress(io, 'export', 4, 'revisions', () => clock);
    bar.tick(); // first draw
    bar.tick(); // too soon: skipped
    clock = 150;
    bar.tick();
    bar.tick(); // the last one is drawn however soon
    bar.done();
    expect(written).toEqual([
      '\rexport [######------------------]  25% 1/4 revisions\u001b[K',
      '\rexport [##################------]  75% 3/4 revisions\u001b[K',
      '\rexport [########################] 100% 4/4 revisions\u001b[K',
      '\r\u001b[K',
    ]);
  });

  it('erases nothing when nothing was drawn', () => {
    const { io, written } = terminal();
    progress(io, 'idle', 0).done();
    expect(written).toEqual([]);
  });

  it('shows on standard error for a command run in a terminal, leaving standard output to the summary', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    buildSampleWiki(db);
    for (const args of [['export', join(dir, 'out')], ['import', join(dir, 'out')], ['check', '--reindex'], ['backup', join(dir, 'b.db')]]) {
      const run = capture(db, { isTty: true });
      expect(await runCli(args, run.cli)).toBe(0);
      expect(run.status.join('')).toMatch(/\r\S+( \S+)? \[#+\] 100% /);
      expect(run.status.at(-1)).toBe('\r\u001b[K');
      expect(run.out).toHaveLength(1);
    }
  });
});
