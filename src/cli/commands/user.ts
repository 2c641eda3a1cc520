import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Option } from 'commander';
import { hashPassword, passwordProblem } from '../../api/passwords.ts';
import { VigilError } from '../../model/errors.ts';
import { ROLES, type Role } from '../../store/types.ts';
import type { CommandModule } from './types.ts';
import { withStore } from './with-store.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // Only the line ending is stripped: spaces can be part of a password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput(s: string): void; output: NodeJS.WriteStream };
    let asked = false;
    out._writeToOutput = (s: string) => {
      if (!asked) process.stderr.write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

/** The new password from --password-stdin or an interactive prompt (asked twice). */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) password = await readStdin();
  else {
    if (!process.stdin.isTTY)
      throw new VigilError('VIGIL_BAD_REQUEST', 'no terminal to ask for the password: pipe it with --password-stdin');
    password = await promptHidden('Password: ');
    if ((await promptHidden('Again: ')) !== password) throw new VigilError('VIGIL_VALIDATION', 'the passwords differ');
  }
  const problem = passwordProblem(password);
  if (problem) throw new VigilError('VIGIL_VALIDATION', problem);
  return password;
}

/** `vigil user add|list|passwd|delete`: web UI accounts, on the store in the data directory. */
export const userCommand: CommandModule = (program) => {
  const user = program.command('user').description('web UI user accounts');
  user
    .command('add')
    .description('create a user; the password is asked for, or read from stdin with --password-stdin')
    .requiredOption('--name <name>', 'login name')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).default('admin'))
    .option('--password-stdin', 'read the password from standard input')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (opts: { name: string; role: Role; passwordStdin?: boolean; config?: string }) => {
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(opts.name))
        throw new VigilError('VIGIL_VALIDATION', 'name: letters, digits and . _ @ - only, up to 64');
      const hash = await hashPassword(await readNewPassword(!!opts.passwordStdin));
      await withStore(opts.config, async (store) => {
        if (await store.getUserByName(opts.name))
          throw new VigilError('VIGIL_CONFLICT', `a user named ${opts.name} exists`);
        const now = Date.now();
        await store.createUser(
          { id: randomUUID(), name: opts.name, role: opts.role, createdTs: now, updatedTs: now },
          hash,
        );
        await store.audit({
          ts: now,
          actor: 'cli',
          action: 'user.create',
          target: opts.name,
          details: { role: opts.role },
          result: 'ok',
        });
      });
      console.error(`vigil: user "${opts.name}" (${opts.role}) created`);
    });
  user
    .command('list')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (opts: { config?: string }) => {
      for (const u of await withStore(opts.config, (s) => s.listUsers())) console.log(`${u.role.padEnd(8)} ${u.name}`);
    });
  user
    .command('passwd')
    .description("set a user's password (ends their sessions)")
    .requiredOption('--name <name>')
    .option('--password-stdin', 'read the password from standard input')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (opts: { name: string; passwordStdin?: boolean; config?: string }) => {
      const hash = await hashPassword(await readNewPassword(!!opts.passwordStdin));
      await withStore(opts.config, async (store) => {
        const u = await store.getUserByName(opts.name);
        if (!u) throw new VigilError('VIGIL_NOT_FOUND', `no user ${opts.name}`);
        await store.updateUser(u.id, { updatedTs: Date.now() }, hash);
        await store.deleteUserSessions(u.id);
        await store.audit({ ts: Date.now(), actor: 'cli', action: 'user.password', target: u.name, result: 'ok' });
      });
      console.error(`vigil: password of "${opts.name}" changed`);
    });
  user
    .command('delete')
    .requiredOption('--name <name>')
    .option('-c, --config <file>', 'config file (for dataDir)')
    .action(async (opts: { name: string; config?: string }) => {
      await withStore(opts.config, async (store) => {
        const u = await store.getUserByName(opts.name);
        if (!u) throw new VigilError('VIGIL_NOT_FOUND', `no user ${opts.name}`);
        for (const t of await store.listTokens(u.id)) await store.deleteToken(t.id);
        await store.deleteUser(u.id);
        await store.audit({ ts: Date.now(), actor: 'cli', action: 'user.delete', target: u.name, result: 'ok' });
      });
      console.error(`vigil: user "${opts.name}" deleted`);
    });
};
