/** server/memory.ts: the relief is debounced, and the trim really gives freed C-heap pages back. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TextWorkers } from '../server/wiki/work/pool.js';
import { addQuietCheck, canTrimAllocator, countRequest, idle, MemoryRelief, trimAllocator } from '../server/memory.js';

const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
const anonMiB = () => Number(/^RssAnon:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

describe('MemoryRelief', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('collects once, quietMs after the last call, and trims only once no request is in flight', async () => {
    const done: string[] = [];
    let busy = true;
    const relief = new MemoryRelief({ collect: () => done.push('collect'), trim: () => done.push('trim'), isIdle: () => !busy }, 50);
    relief.soon();
    await wait(30);
    relief.soon();
    await wait(30);
    expect(done).toEqual([]);
    await wait(60);
    // Under load: collected, the trim still waiting.
    expect(done).toEqual(['collect']);
    await wait(120);
    expect(done).toEqual(['collect']);
    busy = false;
    await wait(80);
    expect(done).toEqual(['collect', 'trim']);
  });

  it('schedules one trim however often it is asked', async () => {
    let trims = 0;
    const relief = new MemoryRelief({ collect: () => {}, trim: () => (trims += 1), isIdle: () => true }, 20);
    for (let i = 0; i < 5; i++) relief.trimWhenIdle();
    await wait(60);
    expect(trims).toBe(1);
  });

  it('is not idle while a quiet check says big work is on (a text process alive)', () => {
    let processes = 1;
    const remove = addQuietCheck(() => processes === 0);
    expect(idle()).toBe(false);
    processes = 0;
    expect(idle()).toBe(true);
    processes = 1;
    remove();
    expect(idle()).toBe(true);
  });

  it('is not idle while a text pool has a process alive, and is again once it is closed', async () => {
    const workers = new TextWorkers({ offloadFrom: 10 });
    expect(idle()).toBe(true);
    await workers.run('saveFacts', { oldText: null, text: 'x'.repeat(100) }, 100);
    expect(workers.processCount).toBe(1);
    expect(idle()).toBe(false);
    await workers.close();
    expect(idle()).toBe(true);
  });

  it('counts requests in flight, each once', () => {
    expect(idle()).toBe(true);
    const a = countRequest();
    const b = countRequest();
    a();
    a();
    expect(idle()).toBe(false);
    b();
    expect(idle()).toBe(true);
  });
});

describe('trimAllocator', () => {
  it.runIf(process.platform === 'linux' && glibc)('is available on glibc Linux and returns pages freed between live blocks', () => {
    expect(canTrimAllocator()).toBe(true);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // 4,096 C-heap blocks of 16 KiB (under glibc's mmap threshold); keep every eighth, so the
    // freed ones are holes between live blocks that free() alone never hands back.
    const blocks: (Buffer | undefined)[] = Array.from({ length: 4096 }, () => Buffer.allocUnsafeSlow(16 * 1024).fill(1));
    for (let i = 0; i < blocks.length; i++) if (i % 8 !== 7) blocks[i] = undefined;
    gc();
    gc();
    const before = anonMiB();
    expect(trimAllocator()).toBe(true);
    const after = anonMiB();
    expect(before - after).toBeGreaterThan(20);
    expect(blocks.filter(Boolean)).toHaveLength(512);
  });
});
