/** The change feed of one database: events noted inside a write, delivered once it commits, dropped if it rolls back. */
// Type-only, from the leaf of record types: the event shapes are the domain's (wiki/types.ts).
import type { ChangeEvent } from '../wiki/types.js';

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * Owned by one Stores (createStores): two wikis in one process never share one. Stores.transaction
 * runs every transaction through `within`, so the outermost commit is the single place events go
 * out; a nested transaction that fails drops the events it noted, as SQLite drops its writes.
 */
export class ChangeFeed {
  private readonly listeners: ChangeListener[] = [];
  private pending: ChangeEvent[] = [];
  private depth = 0;

  /** `report` receives what a subscriber throws (stderr by default): a committed write is never undone by a reader. */
  constructor(private readonly report: (err: unknown) => void = (e) => console.error('change feed subscriber failed:', e)) {}

  /** Call `listener` with every committed change from now on, in commit order. Returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Note a change just written: delivered when the outermost transaction commits, or now when there is none. */
  note(event: ChangeEvent): void {
    if (this.depth === 0) this.deliver([event]);
    else this.pending.push(event);
  }

  /**
   * Run one (possibly nested) transaction, `run`, which commits (or releases its savepoint) before
   * it returns. Events noted inside are dropped if it throws, and delivered after it when outermost.
   * @throws whatever `run` throws.
   */
  within<T>(run: () => T): T {
    const mark = this.pending.length;
    this.depth += 1;
    let result: T;
    try {
      result = run();
    } catch (e) {
      this.pending.length = mark;
      throw e;
    } finally {
      this.depth -= 1;
    }
    if (this.depth === 0 && this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.deliver(batch);
    }
    return result;
  }

  private deliver(events: ChangeEvent[]): void {
    for (const event of events) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch (e) {
          this.report(e);
        }
      }
    }
  }
}
