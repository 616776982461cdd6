import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { SettingStore } from '../../server/db/settings.js';
import { installationSecret } from '../../server/bootstrap.js';

function fresh() {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

describe('SettingStore', () => {
  it('is undefined for a key never set', () => {
    expect(new SettingStore(fresh()).get('nothing')).toBeUndefined();
  });

  it('stores a value on first use and keeps it: make runs once', () => {
    const settings = new SettingStore(fresh());
    let made = 0;
    const make = () => `value ${++made}`;
    expect(settings.getOrCreate('k', make)).toBe('value 1');
    expect(settings.getOrCreate('k', make)).toBe('value 1');
    expect(made).toBe(1);
    expect(settings.get('k')).toBe('value 1');
    expect(settings.getOrCreate('other', make)).toBe('value 2');
  });

  it('lets the first writer win when two stores share a database', () => {
    const db = fresh();
    const [a, b] = [new SettingStore(db), new SettingStore(db)];
    expect(a.get('k')).toBeUndefined();
    expect(b.getOrCreate('k', () => 'from b')).toBe('from b');
    expect(a.getOrCreate('k', () => 'from a')).toBe('from b');
  });

  it('keeps an empty string as a value, not as missing', () => {
    const settings = new SettingStore(fresh());
    expect(settings.getOrCreate('k', () => '')).toBe('');
    expect(settings.getOrCreate('k', () => 'later')).toBe('');
  });
});

describe('installationSecret', () => {
  it('uses JWT_SECRET when configured, storing nothing', () => {
    const stores = createStores(fresh());
    expect(installationSecret(stores, 'x'.repeat(32))).toBe('x'.repeat(32));
    expect(stores.settings.get('jwt_secret')).toBeUndefined();
  });

  it('generates a long secret once and keeps it across opens', () => {
    const db = fresh();
    const first = installationSecret(createStores(db), undefined);
    expect(first.length).toBeGreaterThanOrEqual(48);
    expect(installationSecret(createStores(db), undefined)).toBe(first);
    expect(installationSecret(createStores(fresh()), undefined)).not.toBe(first);
  });
});
