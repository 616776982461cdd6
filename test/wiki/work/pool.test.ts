import { readdirSync, readFileSync } from 'node:fs';
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

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/N/stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

describe('TextWorkers', () => {
  it.runIf(process.platform === 'linux')('runs its threads below the event loop\'s priority, so readers get the core first', async () => {
    const before = threadNices();
    const p = pool({ offloadFrom: 10 });
    await p.run('render', { source: '# Hi there', existing: [] }, 100);
    expect(p.threadCount).toBe(1);
    const after = threadNices();
    expect(after.filter((n) => n > 0).length).toBe(before.filter((n) => n > 0).length + 1);
    expect(threadNices()[0]).toBe(0); // the main thread keeps its priority
  });

  it('stops a thread that has been idle, giving its memory back, and starts one again for the next big job', async () => {
    const p = pool({ offloadFrom: 10, idleMs: 50 });
    await p.run('render', { source: '# Hi there', existing: [] }, 100);
    expect(p.threadCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.threadCount).toBe(0);
    expect(await p.run('render', { source: '# Again', existing: [] }, 100)).toContain('Again');
    expect(p.threadCount).toBe(1);
  });

  it('stops a thread soon after a big job, and only after the usual idle time after small ones', async () => {
    const p = pool({ offloadFrom: 10, idleMs: 60_000, bigIdleMs: 50 });
    await p.run('render', { source: '# Small', existing: [] }, BIG_JOB - 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.threadCount).toBe(1);
    await p.run('render', { source: '# Big', existing: [] }, BIG_JOB);
    // The next job of the same request, a moment later, still finds it.
    expect(p.threadCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.threadCount).toBe(0);
  });

  it('stops a thread at once when a job left its heap past the bound, and starts a fresh one for the next', async () => {
    const swollen = pool({ offloadFrom: 10, retireHeapBytes: 1 });
    expect(await swollen.run('render', { source: '# Hi there', existing: [] }, 100)).toContain('Hi there');
    expect(swollen.threadCount).toBe(0);
    expect(await swollen.run('render', { source: '# Again', existing: [] }, 100)).toContain('Again');
    expect(swollen.threadCount).toBe(0);
    // Under the bound, the thread stays for the next job.
    const lean = pool({ offloadFrom: 10, retireHeapBytes: 1024 ** 3 });
    await lean.run('render', { source: '# Hi there', existing: [] }, 100);
    expect(lean.threadCount).toBe(1);
  });

  it('labels a block by the writers of its lines, from runs of [revision, line count]', () => {
    const label = blockAuthorLabel({ runs: [1, 2, 2, 3], names: [[1, 'Ann'], [2, 'Bo']] });
    expect(label(0, 2)).toBe('Written by Ann (revision 1)');
    expect(label(1, 5)).toBe('Written by Bo (revision 2), with edits by Ann');
    expect(label(5, 9)).toBeUndefined();
  });

  it('runs small jobs inline, starting no thread', async () => {
    const p = pool({ offloadFrom: 1000 });
    const html = await p.run('render', { source: '# Hi\n\n[[Peer networks]]', existing: ['Peer networks'] }, 20);
    expect(html).toContain('<h1 id="hi"');
    expect(p.threadCount).toBe(0);
  });

  it('runs big jobs on a thread with the same output as inline', async () => {
    const p = pool({ offloadFrom: 10 });
    const source = '# One\n\n## Two\n\n### Three\n\nSee [[Peer networks]] and [[Missing]].\n\n[[Category:Open]]';
    const job = { source, existing: ['Peer networks'], title: 'Talk:Peer networks', sectionEditLinks: true, authors: { runs: [1, 2, 2, 3, 3, 4], names: [[1, 'Ann'], [2, 'Bo'], [3, 'Cy']] as Array<[number, string]> } };
    const threaded = await p.run('render', job, source.length);
    expect(p.threadCount).toBe(1);
    expect(threaded).toBe(JOBS.render(job));
    expect(threaded).toContain('class="new"');
    expect(threaded).toContain('data-blame="Written by');
    const [a, b] = unrelated(2000);
    expect(await p.run('compare', { oldText: a, newText: b, options: {} }, a.length + b.length)).toEqual(JOBS.compare({ oldText: a, newText: b, options: {} }));
    expect(await p.run('merge', { base: 'a\nb\nc', mine: 'A\nb\nc', theirs: 'a\nb\nC' }, 15)).toEqual({ clean: true, text: 'A\nb\nC' });
  });

  it('returns a thread\'s render as UTF-8 bytes, deflated when asked, and keeps small ones (Node\'s shared pool) usable', async () => {
    const p = pool({ offloadFrom: 10 });
    const long = { source: '# Peer ✓\n\n'.repeat(4000), existing: [], title: 'Peer', sectionEditLinks: true, pack: { from: 1024, level: 1 } };
    const out = await p.run('renderBytes', long, long.source.length);
    const html = JOBS.render(long);
    expect(Buffer.from(out.html).toString('utf8')).toBe(html);
    expect(inflateRawSync(out.packed!).toString('utf8')).toBe(html);
    // Small outputs are slices of the thread's shared buffer pool: they come back whole, job after job.
    for (const word of ['one', 'two', 'three']) {
      const small = await p.run('renderBytes', { source: `*${word}*`, existing: [], pack: { from: 1024, level: 1 } }, 100);
      expect(Buffer.from(small.html).toString('utf8')).toBe(`<p><em>${word}</em></p>\n`);
      expect(small.packed).toBeUndefined();
    }
    expect(p.threadCount).toBe(1);
  });

  it('keeps the event loop free while a big job runs', async () => {
    const p = pool({ offloadFrom: 10 });
    const [a, b] = unrelated(200_000);
    await p.run('merge', { base: 'x', mine: 'y', theirs: 'x' }, 10); // the thread is up before timing
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

  it('stops a job past its time with 503, replaces the thread, and goes on', async () => {
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
