import { randomUUID } from 'node:crypto';
import { VigilError } from '../../model/errors.ts';
import { ROLES, type Role, type Store, type User } from '../../store/types.ts';
import { hashPassword, passwordProblem } from '../passwords.ts';
import { auditRequest } from './audit.ts';
import { NAME_PATTERN, publicUser } from './session.ts';
import type { RouteModule } from './types.ts';

const admins = (store: Store) => store.listUsers().filter((u) => u.role === 'admin' && !u.disabled).length;

/** Users CRUD (admin). The last admin can be neither demoted nor deleted, so nobody is locked out. */
export const userRoutes: RouteModule = (app, deps) => {
  const { store, clock } = deps;
  const admin = { role: 'admin' as const };
  const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
  const must = (id: string): User => {
    const u = store.getUser(id);
    if (!u) throw new VigilError('VIGIL_NOT_FOUND', `no user ${id}`);
    return u;
  };

  app.get('/users', { config: admin, schema: { summary: 'Lists users' } }, async () => ({
    users: store.listUsers().map(publicUser),
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
      if (store.getUserByName(name)) throw new VigilError('VIGIL_CONFLICT', `a user named ${name} exists`);
      const now = clock.now();
      const user: User = { id: randomUUID(), name, role, locale, createdTs: now, updatedTs: now };
      store.createUser(user, await hashPassword(password));
      auditRequest(deps, request, 'user.create', name, { role });
      return reply.status(201).send({ user: publicUser(user) });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/users/:id',
    { config: admin, schema: { summary: 'One user', params: idParams } },
    async (request) => ({ user: publicUser(must(request.params.id)) }),
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
      const user = must(request.params.id);
      const { name, role, password, disabled } = request.body;
      const losesAdmin = (role && role !== 'admin') || disabled === true;
      if (losesAdmin && user.role === 'admin' && !user.disabled && admins(store) <= 1)
        throw new VigilError('VIGIL_CONFLICT', 'this is the last admin; make another admin first');
      if (name && name.toLowerCase() !== user.name.toLowerCase() && store.getUserByName(name))
        throw new VigilError('VIGIL_CONFLICT', `a user named ${name} exists`);
      let hash: string | undefined;
      if (password !== undefined) {
        const problem = passwordProblem(password);
        if (problem) throw new VigilError('VIGIL_VALIDATION', problem);
        hash = await hashPassword(password);
      }
      const disabling = disabled === true && !user.disabled;
      store.transaction(() => {
        store.updateUser(
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
        if (hash || (role && role !== user.role) || disabling) store.deleteUserSessions(user.id);
        if (disabling) for (const t of store.listTokens(user.id)) store.deleteToken(t.id);
      });
      auditRequest(deps, request, 'user.update', user.name, {
        ...(name ? { name } : {}),
        ...(role ? { role, from: user.role } : {}),
        ...(hash ? { password: 'changed' } : {}),
        ...(disabled !== undefined ? { disabled } : {}),
      });
      return { user: publicUser(must(user.id)) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/users/:id',
    { config: admin, schema: { summary: 'Deletes a user, their sessions and tokens', params: idParams } },
    async (request, reply) => {
      const user = must(request.params.id);
      if (user.role === 'admin' && admins(store) <= 1)
        throw new VigilError('VIGIL_CONFLICT', 'this is the last admin; it cannot be deleted');
      store.transaction(() => {
        for (const t of store.listTokens(user.id)) store.deleteToken(t.id);
        store.deleteUserSessions(user.id);
        store.deleteUser(user.id);
      });
      auditRequest(deps, request, 'user.delete', user.name);
      return reply.status(204).send();
    },
  );
};
