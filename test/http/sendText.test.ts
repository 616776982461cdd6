/** sendText: a long body goes out in slices, with a turn of the event loop between every two. */
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { sendText } from '../../server/http/views.js';

/**
 * A response whose socket takes every write at once, as loopback does for a fast reader: write()
 * reports a full buffer, and 'drain' follows in a nextTick of the same task.
 */
class FastSocketResponse extends EventEmitter {
  destroyed = false;
  headers: Record<string, string> = {};
  writes: number[] = [];
  ended = false;
  set(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  write(chunk: string | Uint8Array): boolean {
    this.writes.push(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    process.nextTick(() => this.emit('drain'));
    return false;
  }
  end(): void {
    this.ended = true;
    this.emit('finish');
  }
}

describe('sendText', () => {
  it('gives other work a turn between slices even when the socket takes each at once', async () => {
    const res = new FastSocketResponse();
    const body = 'é'.repeat(3 * 1024 * 1024);
    let turns = 0;
    let done = false;
    const tick = () => {
      turns += 1;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    sendText(res as unknown as Response, body);
    await new Promise((r) => res.once('finish', r));
    done = true;
    expect(res.writes.length).toBe(48);
    expect(res.writes.reduce((a, b) => a + b, 0)).toBe(Buffer.byteLength(body));
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(body));
    // Without a turn after each drain, all 48 writes ran in one task of the event loop.
    expect(turns).toBeGreaterThanOrEqual(res.writes.length - 1);
  });
});
