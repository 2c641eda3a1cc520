import { randomUUID } from 'node:crypto';
import { VigilError } from '../../model/errors.ts';
import { ROLES, type Role, type Store, type User } from '../../store/types.ts';
import { hashPassword, passwordProblem } from '../passwords.ts';
import { auditRequest } from './audit.ts';
import { NAME_PATTERN, publicUser } from './session.ts';
import type { RouteModule } from './types.ts';

/** How many enabled admins there are. */
const admins = async (store: Store) =>
  (await store.listUsers()).filter((u) => u.role === 'admin' && !u.disabled).length;

/**
 * Whether user `id` is an admin (`enabledOnly`: an enabled one) while at most one enabled admin is left. Asked through
 * the transaction's `tx` before the write it guards, so two admins demoting or deleting each other at once cannot
 * both succeed.
 */
async function isLastAdmin(store: Store, id: string, enabledOnly: boolean): Promise<boolean> {
  const u = await store.getUser(id);
  if (u?.role !== 'admin' || (enabledOnly && u.disabled)) return false;
  return (await admins(store)) <= 1;
}

/** Users CRUD (admin). The last admin can be neither demoted nor deleted, so nobody is locked out. */
export const userRoutes: RouteModule = (app, deps) => {
  const { store, clock } = deps;
  const admin = { role: 'admin' as const };
  const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
  const must = async (id: string): Promise<User> => {
    const u = await store.getUser(id);
    if (!u) throw new VigilError('VIGIL_NOT_FOUND', `no user ${id}`);
    return u;
  };

  app.get('/users', { config: admin, schema: { summary: 'Lists users' } }, async () => ({
    users: (await store.listUsers()).map(publicUser),
  }));

  app.post<{ Body: { name: string; role: Role; password: string; locale?: string } }>(
    '/users',
    {
      config: admin,
      schema: {
        summary: 'Creates a user',
        body: {
          type: 'object',
          required: ['name', 'role', 'password'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: NAME_PATTERN },
            role: { type: 'string', enum: [...ROLES] },
            password: { type: 'string' },
            locale: { type: 'string', enum: ['en', 'ko'] },
          },
        },
      },
    },
    async (request, reply) => {
      const { name, role, password, locale } = request.body;
      const problem = passwordProblem(password);
      if (problem) throw new VigilError('VIGIL_VALIDATION', problem);
      if (await store.getUserByName(name)) throw new VigilError('VIGIL_CONFLICT', `a user named ${name} exists`);
      const now = clock.now();
      const user: User = { id: randomUUID(), name, role, locale, createdTs: now, updatedTs: now };
      await store.createUser(user, await hashPassword(password));
      await auditRequest(deps, request, 'user.create', name, { role });
      return reply.status(201).send({ user: publicUser(user) });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/users/:id',
    { config: admin, schema: { summary: 'One user', params: idParams } },
    async (request) => ({ user: publicUser(await must(request.params.id)) }),
  );

  app.patch<{ Params: { id: string }; Body: { name?: string; role?: Role; password?: string; disabled?: boolean } }>(
    '/users/:id',
    {
      config: admin,
      schema: {
        summary:
          "Renames a user, changes the role, disables or enables the account, or resets the password (role, password and disabling end the user's sessions; disabling also ends their tokens)",
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            name: { type: 'string', pattern: NAME_PATTERN },
            role: { type: 'string', enum: [...ROLES] },
            password: { type: 'string' },
            disabled: { type: 'boolean' },
          },
        },
      },
    },
    async (request) => {
      const user = await must(request.params.id);
      const { name, role, password, disabled } = request.body;
      const losesAdmin = (role && role !== 'admin') || disabled === true;
      const lastAdmin = () => new VigilError('VIGIL_CONFLICT', 'this is the last admin; make another admin first');
      // Asked here too, so that this answer comes before any about the name or password.
      if (losesAdmin && (await isLastAdmin(store, user.id, true))) throw lastAdmin();
      if (name && name.toLowerCase() !== user.name.toLowerCase() && (await store.getUserByName(name)))
        throw new VigilError('VIGIL_CONFLICT', `a user named ${name} exists`);
      let hash: string | undefined;
      if (password !== undefined) {
        const problem = passwordProblem(password);
        if (problem) throw new VigilError('VIGIL_VALIDATION', problem);
        hash = await hashPassword(password);
      }
      const disabling = disabled === true && !user.disabled;
      await store.transaction(async (tx) => {
        if (losesAdmin && (await isLastAdmin(tx, user.id, true))) throw lastAdmin();
        await tx.updateUser(
          user.id,
          {
            ...(name ? { name } : {}),
            ...(role ? { role } : {}),
            ...(disabled !== undefined ? { disabled } : {}),
            updatedTs: clock.now(),
          },
          hash,
        );
        // A changed role or password must take effect now, not when the old session expires. Tokens follow the
        // owner's current role by themselves (principalForToken); a disabled user's tokens are revoked.
        if (hash || (role && role !== user.role) || disabling) await tx.deleteUserSessions(user.id);
        if (disabling) for (const t of await tx.listTokens(user.id)) await tx.deleteToken(t.id);
      });
      await auditRequest(deps, request, 'user.update', user.name, {
        ...(name ? { name } : {}),
        ...(role ? { role, from: user.role } : {}),
        ...(hash ? { password: 'changed' } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
      });
      return { user: publicUser(await must(user.id)) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/users/:id',
    { config: admin, schema: { summary: 'Deletes a user, their sessions and tokens', params: idParams } },
    async (request, reply) => {
      const user = await must(request.params.id);
      await store.transaction(async (tx) => {
        if (await isLastAdmin(tx, user.id, false))
          throw new VigilError('VIGIL_CONFLICT', 'this is the last admin; it cannot be deleted');
        for (const t of await tx.listTokens(user.id)) await tx.deleteToken(t.id);
        await tx.deleteUserSessions(user.id);
        await tx.deleteUser(user.id);
      });
      await auditRequest(deps, request, 'user.delete', user.name);
      return reply.status(204).send();
    },
  );
};
