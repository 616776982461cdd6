/** `wiki user add NAME --role ROLE` (password on stdin) and `wiki user role NAME ROLE`. */
import type { Config } from '../config.js';
import { openDatabase, closeDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createStores } from '../db/stores.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { userNameProblem } from '../auth/accounts.js';
import type { Role } from '../wiki/types.js';
import { CliError, type CliIo } from './io.js';

function role(value: string | undefined): Role {
  if (value !== 'admin' && value !== 'user') throw new CliError(`role must be admin or user, not "${value ?? ''}".`);
  return value;
}

export async function userCommand(config: Config, args: string[], io: CliIo): Promise<number> {
  const [sub, name, ...rest] = args;
  if (sub !== 'add' && sub !== 'role') throw new CliError('usage: user add NAME --role admin|user  |  user role NAME admin|user');
  if (!name) throw new CliError(`usage: user ${sub} NAME ${sub === 'add' ? '--role admin|user' : 'admin|user'}`);
  let wanted: Role;
  if (sub === 'add') {
    const i = rest.indexOf('--role');
    wanted = i === -1 && rest.length === 0 ? 'user' : role(rest[i + 1]);
    if (i === -1 && rest.length) throw new CliError(`unexpected "${rest[0]}"; usage: user add NAME --role admin|user`);
  } else {
    if (rest.length !== 1) throw new CliError('usage: user role NAME admin|user');
    wanted = role(rest[0]);
  }
  const password = sub === 'add' ? (await io.readStdin()).replace(/\r?\n$/, '') : '';
  const db = openDatabase(config.dbFile);
  try {
    migrate(db);
    const stores = createStores(db);
    const existing = stores.actors.byName(name);
    if (sub === 'role') {
      if (!existing || existing.kind !== 'user') throw new CliError(`there is no registered user "${name}"; create one with: user add ${name} --role ${wanted}`);
      stores.actors.setRole(existing.id, wanted);
      io.out(`${name} is now ${wanted === 'admin' ? 'an admin' : 'a user'}`);
      return 0;
    }
    const nameProblem = userNameProblem(name);
    if (nameProblem) throw new CliError(nameProblem);
    if (existing) throw new CliError(`the name "${name}" is taken; pick another, or change its role with: user role ${name} ${wanted}`);
    const problem = passwordProblem(password);
    if (problem) throw new CliError(`${problem} Pipe it in: echo 'a long password' | npm run wiki -- user add ${name} --role ${wanted}`);
    const actor = stores.actors.create(name, 'user', wanted, hashPassword(password));
    io.out(`created ${wanted} ${actor.name} (id ${actor.id})`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}
