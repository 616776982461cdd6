/** Per-database state of the layers above (their caches), held by the Stores so nothing is module-global. */

/** The typed key of one entry of a Memo: a module keeps its key as a constant and its state here. */
export class MemoKey<T> {
  /** Never set: carries T for the type checker only. */
  declare readonly value: T;

  constructor(readonly name: string) {}
}

/**
 * State that belongs to one database, not to the process: say, comparisons keyed by revision ids,
 * which are unique only within one database.
 */
export class Memo {
  private readonly entries = new Map<MemoKey<unknown>, unknown>();

  /** The entry of `key`, made by `make` on first use. */
  get<T>(key: MemoKey<T>, make: () => T): T {
    if (!this.entries.has(key)) this.entries.set(key, make());
    return this.entries.get(key) as T;
  }
}
