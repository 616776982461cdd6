/** Small key/value facts of the installation (the generated token secret). */
import type { Db } from './connection.js';

export class SettingStore {
  private readonly select;
  private readonly insert;

  constructor(db: Db) {
    this.select = db.prepare<[string], { value: string }>('SELECT value FROM setting WHERE key = ?');
    this.insert = db.prepare('INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)');
  }

  get(key: string): string | undefined {
    return this.select.get(key)?.value;
  }

  /** The stored value, or `make()` stored now when there is none (first writer wins). */
  getOrCreate(key: string, make: () => string): string {
    const found = this.get(key);
    if (found !== undefined) return found;
    this.insert.run(key, make());
    return this.get(key)!;
  }
}
