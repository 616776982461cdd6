/** server/memory.ts: one collection, a moment after the last big piece of work. */
import { describe, expect, it } from 'vitest';
import { MemoryRelief } from '../server/memory.js';

describe('MemoryRelief', () => {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('collects once, quietMs after the last call', async () => {
    let runs = 0;
    const relief = new MemoryRelief(() => (runs += 1), 50);
    relief.soon();
    await wait(30);
    relief.soon();
    await wait(30);
    expect(runs).toBe(0);
    await wait(60);
    expect(runs).toBe(1);
  });
});
