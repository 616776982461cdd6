/**
 * `wiki user add NAME --role ROLE` (password on stdin), `wiki user role NAME ROLE` and
 * `wiki user password NAME` (new password on stdin; every earlier session of the account ends).
 */
import type { Config } from '../config.js';
import { openDatabase, closeDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createStores, type Stores } from '../db/stores.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { userNameProblem } from '../auth/accounts.js';
import { normalUserName } from '../wiki/title.js';
import type { Actor, Role } from '../wiki/types.js';
import { CliError, type CliIo } from './io.js';

const USAGE = 'usage: user add NAME --role admin|user  |  user role NAME admin|user  |  user password NAME';

function role(value: string | undefined): Role {
  if (value !== 'admin' && value !== 'user') throw new CliError(`role must be admin or user, not "${value ?? ''}".`);
  return value;
}

async function readPassword(io: CliIo, retry: string): Promise<string> {
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  const problem = passwordProblem(password);
  if (problem) throw new CliError(`${problem} Pipe it in: echo 'a long password' | npm run wiki -- ${retry}`);
  return password;
}

function withStores<T>(config: Config, run: (stores: Stores) => T): T {
  const db = openDatabase(config.dbFile);
  try {
    migrate(db);
    return run(createStores(db));
  } finally {
    closeDatabase(db);
  }
}

function registered(stores: Stores, name: string, hint: string): Actor {
  const actor = stores.actors.byName(name);
  if (!actor || actor.kind !== 'user') throw new CliError(`there is no registered user "${name}"; create one with: ${hint}`);
  return actor;
}

export async function userCommand(config: Config, args: string[], io: CliIo): Promise<number> {
  const [sub, typed, ...rest] = args;
  if (sub !== 'add' && sub !== 'role' && sub !== 'password') throw new CliError(USAGE);
  if (!typed) throw new CliError(USAGE);
  // Names as people type them (SPEC section 7): `alice` is the account `Alice`.
  const name = normalUserName(typed);
  if (sub === 'role') {
    if (rest.length !== 1) throw new CliError('usage: user role NAME admin|user');
    const wanted = role(rest[0]);
    return withStores(config, (stores) => {
      stores.actors.setRole(registered(stores, name, `user add ${name} --role ${wanted}`).id, wanted);
      io.out(`${name} is now ${wanted === 'admin' ? 'an admin' : 'a user'}`);
      return 0;
    });
  }
  if (sub === 'password') {
    if (rest.length) throw new CliError('usage: user password NAME (the new password on stdin)');
    const password = await readPassword(io, `user password ${name}`);
    return withStores(config, (stores) => {
      stores.actors.setPasswordHash(registered(stores, name, `user add ${name} --role user`).id, hashPassword(password));
      io.out(`set a new password for ${name}; their earlier sessions have ended`);
      return 0;
    });
  }
  const i = rest.indexOf('--role');
  if (i === -1 && rest.length) throw new CliError(`unexpected "${rest[0]}"; usage: user add NAME --role admin|user`);
  const wanted = i === -1 ? 'user' : role(rest[i + 1]);
  const nameProblem = userNameProblem(name);
  if (nameProblem) throw new CliError(nameProblem);
  const password = await readPassword(io, `user add ${name} --role ${wanted}`);
  return withStores(config, (stores) => {
    if (stores.actors.byName(name)) throw new CliError(`the name "${name}" is taken; pick another, or change its role with: user role ${name} ${wanted}`);
    const actor = stores.actors.create(name, 'user', wanted, hashPassword(password));
    io.out(`created ${wanted} ${actor.name} (id ${actor.id})`);
    return 0;
  });
}
