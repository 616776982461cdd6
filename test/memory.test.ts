/** server/memory.ts: the relief is debounced, and the trim really gives freed C-heap pages back. */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { canTrimAllocator, MemoryRelief, trimAllocator, trimAllocatorSoon } from '../server/memory.js';

const glibc = Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
const anonMiB = () => Number(/^RssAnon:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

describe('MemoryRelief', () => {
  it('runs once, quietMs after the last call', async () => {
    let runs = 0;
    const relief = new MemoryRelief(() => (runs += 1), 50);
    relief.soon();
    await new Promise((r) => setTimeout(r, 30));
    relief.soon();
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(1);
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

  it.runIf(process.platform === 'linux' && glibc)('does the same on the thread pool, beside the event loop', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const blocks: (Buffer | undefined)[] = Array.from({ length: 4096 }, () => Buffer.allocUnsafeSlow(16 * 1024).fill(1));
    for (let i = 0; i < blocks.length; i++) if (i % 8 !== 7) blocks[i] = undefined;
    gc();
    gc();
    const before = anonMiB();
    expect(await trimAllocatorSoon()).toBe(true);
    expect(before - anonMiB()).toBeGreaterThan(20);
    expect(blocks.filter(Boolean)).toHaveLength(512);
  });
});
