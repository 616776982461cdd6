import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import type { CliIo } from '../../server/cli/io.js';
import { openDatabase } from '../../server/db/connection.js';
import { createStores } from '../../server/db/stores.js';
import { migrate } from '../../server/db/migrate.js';
import { verifyPassword } from '../../server/auth/passwords.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function io(stdin = '') {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-cli-'));
  dirs.push(dir);
  const out: string[] = [];
  const err: string[] = [];
  const file = join(dir, 'wiki.db');
  const cli: CliIo = { env: { WIKI_DB: file }, out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin, isTty: false };
  return { cli, out, err, file };
}

function actorRow(file: string, name: string) {
  const db = openDatabase(file);
  try {
    migrate(db);
    const stores = createStores(db);
    const a = stores.actors.byName(name);
    return a && { ...a, hash: stores.actors.passwordHash(a.id) };
  } finally {
    db.close();
  }
}

describe('wiki CLI', () => {
  it('migrate applies migrations and then reports the database up to date', async () => {
    const { cli, out, file } = io();
    expect(await runCli(['migrate'], cli)).toBe(0);
    expect(out[0]).toMatch(/^applied \d+ migration\(s\): 1/);
    // Migrations may rewrite tables: the file is compacted after them.
    expect(out.at(-1)).toMatch(/^compacted the database from \d+ to \d+ pages of 8192 bytes$/);
    const first = out.length;
    expect(await runCli(['migrate'], cli)).toBe(0);
    expect(out.slice(first)).toEqual([`${file} is up to date`]);
  });

  it('user add creates an account with the role and a scrypt hash of the stdin password', async () => {
    const { cli, out, file } = io('a long enough password\n');
    expect(await runCli(['user', 'add', 'Alice', '--role', 'admin'], cli)).toBe(0);
    expect(out[0]).toMatch(/^created admin Alice \(id \d+\)$/);
    const row = actorRow(file, 'Alice')!;
    expect(row).toMatchObject({ kind: 'user', role: 'admin' });
    expect(row.hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('a long enough password', row.hash!)).toBe(true);
  });

  it('user add and user role take a name as people type it: `alice` is the account Alice', async () => {
    const { cli, out, err, file } = io('a long enough password\n');
    expect(await runCli(['user', 'add', 'alice', '--role', 'admin'], cli)).toBe(0);
    expect(out[0]).toMatch(/^created admin Alice \(id \d+\)$/);
    expect(actorRow(file, 'Alice')).toMatchObject({ kind: 'user', role: 'admin' });
    expect(actorRow(file, 'alice')).toBeUndefined();
    expect(await runCli(['user', 'role', 'alice', 'user'], cli)).toBe(0);
    expect(actorRow(file, 'Alice')!.role).toBe('user');
    // The same name typed another way is the same account: taken.
    expect(await runCli(['user', 'add', ' alice_ '], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/the name "Alice" is taken/);
    expect(await runCli(['user', 'add', 'bob_smith'], cli)).toBe(0);
    expect(actorRow(file, 'Bob smith')).toMatchObject({ kind: 'user', role: 'user' });
  });

  it('user role changes the role', async () => {
    const { cli, file } = io('a long enough password');
    await runCli(['user', 'add', 'Bob', '--role', 'admin'], cli);
    expect(await runCli(['user', 'role', 'Bob', 'user'], cli)).toBe(0);
    expect(actorRow(file, 'Bob')!.role).toBe('user');
  });

  it.each([
    { name: 'unknown command', args: ['frobnicate'], stdin: '', error: /unknown command "frobnicate"/ },
    { name: 'bad role', args: ['user', 'add', 'Carol', '--role', 'king'], stdin: 'a long enough password', error: /role must be admin or user/ },
    { name: 'short password', args: ['user', 'add', 'Carol', '--role', 'user'], stdin: 'short', error: /at least 10 characters.*Pipe it in/ },
    { name: 'invalid name', args: ['user', 'add', 'a/b', '--role', 'user'], stdin: 'a long enough password', error: /may not contain/ },
    { name: 'IP address as name', args: ['user', 'add', '10.1.2.3', '--role', 'user'], stdin: 'a long enough password', error: /IP address/ },
    { name: 'role of a missing user', args: ['user', 'role', 'Nobody', 'admin'], stdin: '', error: /no registered user "Nobody"/ },
    { name: 'missing name', args: ['user', 'add'], stdin: '', error: /usage/ },
  ])('fails clearly on $name, exit 2, nothing created', async ({ args, stdin, error }) => {
    const { cli, err, file } = io(stdin);
    expect(await runCli(args, cli)).toBe(2);
    expect(err.join('\n')).toMatch(error);
    expect(actorRow(file, 'Carol')).toBeUndefined();
  });

  it('refuses a taken name', async () => {
    const { cli, err } = io('a long enough password');
    await runCli(['user', 'add', 'Dana', '--role', 'user'], cli);
    expect(await runCli(['user', 'add', 'Dana', '--role', 'user'], cli)).toBe(2);
    expect(err[0]).toMatch(/taken/);
  });
});

describe('wiki user password', () => {
  it('sets a new password and ends earlier sessions', async () => {
    const first = io('a long enough password');
    await runCli(['user', 'add', 'Pat', '--role', 'user'], first.cli);
    const before = actorRow(first.file, 'Pat')!;
    const again: CliIo = { ...first.cli, readStdin: async () => 'another long password\n' };
    expect(await runCli(['user', 'password', 'Pat'], again)).toBe(0);
    const after = actorRow(first.file, 'Pat')!;
    expect(await verifyPassword('another long password', after.hash!)).toBe(true);
    expect(after.tokenVersion).toBe(before.tokenVersion + 1);
  });

  it('refuses a short password or an unknown user, changing nothing', async () => {
    const { cli, err, file } = io('short');
    await runCli(['user', 'add', 'Quinn', '--role', 'user'], { ...cli, readStdin: async () => 'a long enough password' });
    const before = actorRow(file, 'Quinn')!.hash;
    expect(await runCli(['user', 'password', 'Quinn'], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/at least 10 characters/);
    expect(actorRow(file, 'Quinn')!.hash).toBe(before);
    expect(await runCli(['user', 'password', 'Nobody'], { ...cli, readStdin: async () => 'a long enough password' })).toBe(2);
  });
});
