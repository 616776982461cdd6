import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BIG_JOB, TextWorkers } from '../../../server/wiki/work/pool.js';
import { blockAuthorLabel, JOBS } from '../../../server/wiki/work/jobs.js';
import { WikiError } from '../../../server/wiki/errors.js';

const pools: TextWorkers[] = [];
function pool(o: ConstructorParameters<typeof TextWorkers>[0] = {}) {
  const p = new TextWorkers(o);
  pools.push(p);
  return p;
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Two unrelated texts of about `n` characters each: a diff with real work in it. */
function unrelated(n: number): [string, string] {
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0, size = 0; size < n; i++) {
    a.push(`line ${i} of the first text, about peer networks ${i * 7}`);
    b.push(`row ${i} of another text entirely ${i * 13} words`);
    size += a.at(-1)!.length + 1;
  }
  return [a.join('\n'), b.join('\n')];
}

/** The nice value of each thread of process `pid` (Linux: field 19 of /proc/PID/task/N/stat). */
function threadNices(pid: number | 'self'): number[] {
  return readdirSync(`/proc/${pid}/task`).map((t) => Number(readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

describe('TextWorkers', () => {
  it.runIf(process.platform === 'linux')('runs its jobs in a process of its own whose every thread is below the event loop\'s priority', async () => {
    const before = threadNices('self');
    const p = pool({ offloadFrom: 10 });
    await p.run('render', { source: '# Hi there', existing: [] }, 100);
    expect(p.processCount).toBe(1);
    const [pid] = p.processIds;
    expect(pid).not.toBe(process.pid);
    // All of its threads, V8's collector helpers too: they are the ones a huge job keeps busy.
    const nices = threadNices(pid!);
    expect(nices.length).toBeGreaterThan(1);
    expect(nices.every((n) => n === 10)).toBe(true);
    // This process is left as it was.
    expect(threadNices('self')).toEqual(before);
  });

  it('stops its processes when closed', async () => {
    const p = pool({ offloadFrom: 10 });
    await p.run('render', { source: '# Hi there', existing: [] }, 100);
    const [pid] = p.processIds;
    expect(alive(pid!)).toBe(true);
    await p.close();
    expect(alive(pid!)).toBe(false);
  });

  it('leaves no text process behind when the worker that started it is killed', async () => {
    // A worker killed outright (SIGKILL, a crash) runs no clean-up: its text process must notice.
    const pool = new URL('../../../server/wiki/work/pool.ts', import.meta.url).href;
    const script = `import { TextWorkers } from ${JSON.stringify(pool)};
      const p = new TextWorkers({ offloadFrom: 10 });
      await p.run('render', { source: '# Hi', existing: [] }, 100);
      console.log(p.processIds[0]);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string];
    const pid = Number(line);
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(pid)).toBe(false);
  });

  it('stops a process that has been idle, giving its memory back, and starts one again for the next big job', async () => {
    const p = pool({ offloadFrom: 10, idleMs: 50 });
    await p.run('render', { source: '# Hi there', existing: [] }, 100);
    expect(p.processCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.processCount).toBe(0);
    expect(await p.run('render', { source: '# Again', existing: [] }, 100)).toContain('Again');
    expect(p.processCount).toBe(1);
  });

  it('stops a process soon after a big job, and only after the usual idle time after small ones', async () => {
    const p = pool({ offloadFrom: 10, idleMs: 60_000, bigIdleMs: 50 });
    await p.run('render', { source: '# Small', existing: [] }, BIG_JOB - 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.processCount).toBe(1);
    await p.run('render', { source: '# Big', existing: [] }, BIG_JOB);
    // The next job of the same request, a moment later, still finds it.
    expect(p.processCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.processCount).toBe(0);
  });

  it('stops a process at once when a job left its heap past the bound, and starts a fresh one for the next', async () => {
    const swollen = pool({ offloadFrom: 10, retireHeapBytes: 1 });
    expect(await swollen.run('render', { source: '# Hi there', existing: [] }, 100)).toContain('Hi there');
    expect(swollen.processCount).toBe(0);
    expect(await swollen.run('render', { source: '# Again', existing: [] }, 100)).toContain('Again');
    expect(swollen.processCount).toBe(0);
    // Under the bound, the process stays for the next job.
    const lean = pool({ offloadFrom: 10, retireHeapBytes: 1024 ** 3 });
    await lean.run('render', { source: '# Hi there', existing: [] }, 100);
    expect(lean.processCount).toBe(1);
  });

  it('labels a block by the writers of its lines, from runs of [revision, line count]', () => {
    const label = blockAuthorLabel({ runs: [1, 2, 2, 3], names: [[1, 'Ann'], [2, 'Bo']] });
    expect(label(0, 2)).toBe('Written by Ann (revision 1)');
    expect(label(1, 5)).toBe('Written by Bo (revision 2), with edits by Ann');
    expect(label(5, 9)).toBeUndefined();
  });

  it('runs small jobs inline, starting no process', async () => {
    const p = pool({ offloadFrom: 1000 });
    const html = await p.run('render', { source: '# Hi\n\n[[Peer networks]]', existing: ['Peer networks'] }, 20);
    expect(html).toContain('<h1 id="hi"');
    expect(p.processCount).toBe(0);
  });

  it('runs big jobs in a text process with the same output as inline', async () => {
    const p = pool({ offloadFrom: 10 });
    const source = '# One\n\n## Two\n\n### Three\n\nSee [[Peer networks]] and [[Missing]].\n\n[[Category:Open]]';
    const job = { source, existing: ['Peer networks'], title: 'Talk:Peer networks', sectionEditLinks: true, authors: { runs: [1, 2, 2, 3, 3, 4], names: [[1, 'Ann'], [2, 'Bo'], [3, 'Cy']] as Array<[number, string]> } };
    const threaded = await p.run('render', job, source.length);
    expect(p.processCount).toBe(1);
    expect(threaded).toBe(JOBS.render(job));
    expect(threaded).toContain('class="new"');
    expect(threaded).toContain('data-blame="Written by');
    const [a, b] = unrelated(2000);
    expect(await p.run('compare', { oldText: a, newText: b, options: {} }, a.length + b.length)).toEqual(JOBS.compare({ oldText: a, newText: b, options: {} }));
    expect(await p.run('merge', { base: 'a\nb\nc', mine: 'A\nb\nc', theirs: 'a\nb\nC' }, 15)).toEqual({ clean: true, text: 'A\nb\nC' });
  });

  it('returns a text process\'s render as UTF-8 bytes, deflated when asked, and small ones (Node\'s shared pool) whole', async () => {
    const p = pool({ offloadFrom: 10 });
    const long = { source: '# Peer ✓\n\n'.repeat(4000), existing: [], title: 'Peer', sectionEditLinks: true, pack: { from: 1024, level: 1 } };
    const out = await p.run('renderBytes', long, long.source.length);
    const html = JOBS.render(long);
    expect(Buffer.from(out.html).toString('utf8')).toBe(html);
    expect(inflateRawSync(out.packed!).toString('utf8')).toBe(html);
    // Small outputs are slices of the process's shared buffer pool: they come back whole, job after job.
    for (const word of ['one', 'two', 'three']) {
      const small = await p.run('renderBytes', { source: `*${word}*`, existing: [], pack: { from: 1024, level: 1 } }, 100);
      expect(Buffer.from(small.html).toString('utf8')).toBe(`<p><em>${word}</em></p>\n`);
      expect(small.packed).toBeUndefined();
    }
    expect(p.processCount).toBe(1);
  });

  it('keeps the event loop free while a big job runs', async () => {
    const p = pool({ offloadFrom: 10 });
    const [a, b] = unrelated(200_000);
    await p.run('merge', { base: 'x', mine: 'y', theirs: 'x' }, 10); // the process is up before timing
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = ticks;
    await p.run('compare', { oldText: a, newText: b, options: {} }, a.length + b.length);
    clearInterval(timer);
    // Inline, the diff would hold the loop from start to end and not one tick could run meanwhile.
    expect(ticks - started).toBeGreaterThan(0);
  });

  it('refuses with 503 when too many big jobs wait, rather than queueing without bound', async () => {
    const p = pool({ offloadFrom: 10, maxQueue: 2 });
    const [a, b] = unrelated(200_000);
    const jobs = Array.from({ length: 4 }, () => p.run('compare', { oldText: a, newText: b, options: {} }, a.length + b.length));
    const results = await Promise.allSettled(jobs);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'busy', status: 503 });
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
  });

  it('stops a job past its time with 503, replaces the process, and goes on', async () => {
    const p = pool({ offloadFrom: 10, timeoutMs: 1 });
    const [a, b] = unrelated(200_000);
    await expect(p.run('compare', { oldText: a, newText: b, options: {} }, a.length + b.length)).rejects.toBeInstanceOf(WikiError);
    const q = pool({ offloadFrom: 10 });
    expect(await q.run('merge', { base: 'a', mine: 'b', theirs: 'a' }, 10)).toEqual({ clean: true, text: 'b' });
  });

  it('passes a job\'s own error back as an error', async () => {
    const p = pool({ offloadFrom: 1 });
    await expect(p.run('render', { source: 'x', existing: [], title: 'Bad|title' } as never, 100)).resolves.toContain('x');
    await expect(p.run('compare', { oldText: null, newText: null, options: {} }, 100)).rejects.toThrow();
  });
});
