import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../server/db/feed.js';
import type { ChangeEvent } from '../../server/wiki/types.js';

const event = (blockId: number): ChangeEvent => ({ type: 'unblock', blockId, target: 'X', actorId: 1, timestamp: 't', linkColours: [] });

function recorded(feed: ChangeFeed): number[] {
  const ids: number[] = [];
  feed.subscribe((e) => ids.push(e.type === 'unblock' ? e.blockId : -1));
  return ids;
}

describe('ChangeFeed', () => {
  it('delivers a note made outside any transaction at once', () => {
    const feed = new ChangeFeed();
    const ids = recorded(feed);
    feed.note(event(1));
    expect(ids).toEqual([1]);
  });

  it('holds notes until the outermost step returns, then delivers them in order', () => {
    const feed = new ChangeFeed();
    const ids = recorded(feed);
    feed.within(() => {
      feed.note(event(1));
      feed.within(() => feed.note(event(2)));
      expect(ids).toEqual([]);
    });
    expect(ids).toEqual([1, 2]);
  });

  it.each([
    { name: 'the outer step throws', run: (f: ChangeFeed) => f.within(() => { f.note(event(1)); throw new Error('x'); }), heard: [] },
    { name: 'an inner step throws and the outer goes on', run: (f: ChangeFeed) => f.within(() => {
      f.note(event(1));
      try { f.within(() => { f.note(event(2)); throw new Error('x'); }); } catch { /* savepoint rolled back */ }
      f.note(event(3));
    }), heard: [1, 3] },
  ])('drops what a failed step noted when $name', ({ run, heard }) => {
    const feed = new ChangeFeed();
    const ids = recorded(feed);
    try { run(feed); } catch { /* expected for the outer case */ }
    expect(ids).toEqual(heard);
    // The feed is back at depth 0: the next note goes out at once.
    feed.note(event(9));
    expect(ids).toEqual([...heard, 9]);
  });

  it('reports a throwing subscriber and still tells the others; the step returns its value', () => {
    const errors: unknown[] = [];
    const feed = new ChangeFeed((e) => errors.push(e));
    feed.subscribe(() => { throw new Error('bad reader'); });
    const ids = recorded(feed);
    expect(feed.within(() => { feed.note(event(1)); return 42; })).toBe(42);
    expect(ids).toEqual([1]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('bad reader');
  });

  it('delivers what a subscriber writes in a transaction of its own, once', () => {
    const feed = new ChangeFeed();
    feed.subscribe((e) => {
      if (e.type === 'unblock' && e.blockId === 1) feed.within(() => feed.note(event(2)));
    });
    const ids = recorded(feed);
    feed.within(() => feed.note(event(1)));
    expect(ids.sort()).toEqual([1, 2]);
  });
});
