import { randomUUID } from 'node:crypto';
import { VigilError } from '../../model/errors.ts';
import type { User } from '../../store/types.ts';
import { addressKey, createLockout, lockoutKey, type Lockout } from '../lockout.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../passwords.ts';
import { endOtherSessions, endSession, startSession } from '../sessions.ts';
import { clearSetupCode, ensureSetupCode, isLocalRequest, setupCodeMatches } from '../setup-code.ts';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';

/** What the UI gets about the signed-in user (never the password hash). */
export const publicUser = (u: User) => ({
  id: u.id,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  locale: u.locale,
  theme: u.theme,
  createdTs: u.createdTs,
  lastLoginTs: u.lastLoginTs,
});

export const NAME_PATTERN = '^[A-Za-z0-9._@-]{1,64}$';
const credentialsBody = {
  type: 'object',
  required: ['name', 'password'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', maxLength: 1024 },
    locale: { type: 'string', enum: ['en', 'ko'] },
  },
} as const;

/** Per client address, across every user name: 20 free failures, then 1 s doubling; forgotten after 15 quiet minutes. */
export const ADDRESS_LIMIT = { freeFailures: 20, forgetAfterMs: 15 * 60_000 };

// A hash to verify against when the user does not exist, so the answer takes as long either way.
let dummyHash: Promise<string> | undefined;

/** Routes for first-run setup, login, logout and the signed-in user's own settings. */
export function sessionRoutesWith(
  lockout: Lockout,
  addressLockout: Lockout = createLockout(ADDRESS_LIMIT),
): RouteModule {
  return (app, deps) => {
    const { store, clock } = deps;

    app.get(
      '/setup',
      {
        config: { public: true },
        schema: {
          summary: 'Whether the first admin still has to be created, and whether this client must give the setup code',
          security: [],
        },
      },
      async (request) => {
        const needed = (await store.countUsers()) === 0;
        return { needed, codeRequired: needed && !isLocalRequest(request) };
      },
    );

    app.post<{ Body: { name: string; password: string; locale?: string; setupCode?: string } }>(
      '/setup',
      {
        config: { public: true },
        schema: {
          summary:
            'Creates the first admin; works only while no user exists. From another machine it needs the setup code that `vigil start` printed (also in <dataDir>/setup-code)',
          security: [],
          body: {
            ...credentialsBody,
            properties: { ...credentialsBody.properties, setupCode: { type: 'string', maxLength: 64 } },
          },
        },
      },
      async (request, reply) => {
        const { name, password, locale, setupCode } = request.body;
        if ((await store.countUsers()) > 0)
          throw new VigilError('VIGIL_CONFLICT', 'setup is done: a user already exists; sign in instead');
        if (!isLocalRequest(request)) {
          const key = addressKey(request.ip);
          const wait = addressLockout.waitMs(key, clock.now());
          if (wait > 0)
            throw new VigilError(
              'VIGIL_TOO_MANY_REQUESTS',
              `too many wrong setup codes; try again in ${Math.ceil(wait / 1000)} s`,
              { retryAfterS: Math.ceil(wait / 1000) },
            );
          if (!setupCodeMatches(setupCode, ensureSetupCode(deps.config.dataDir))) {
            addressLockout.fail(key, clock.now());
            await store.audit({
              ts: clock.now(),
              actor: name,
              action: 'user.create',
              details: { via: 'setup', address: request.ip },
              result: 'wrong setup code',
            });
            throw new VigilError(
              'VIGIL_FORBIDDEN',
              'from another machine the first admin needs the setup code that `vigil start` printed (also in <dataDir>/setup-code on the server)',
            );
          }
        }
        if (!new RegExp(NAME_PATTERN).test(name))
          throw new VigilError('VIGIL_VALIDATION', 'name: letters, digits and . _ @ - only');
        const problem = passwordProblem(password);
        if (problem) throw new VigilError('VIGIL_VALIDATION', problem);
        const hash = await hashPassword(password);
        const now = clock.now();
        const user: User = {
          id: randomUUID(),
          name,
          role: 'admin',
          locale,
          createdTs: now,
          updatedTs: now,
          lastLoginTs: now,
        };
        // Checked and created in one transaction so two racing first-run requests cannot both win.
        const created = await store.transaction(async (tx) => {
          if ((await tx.countUsers()) > 0) return false;
          await tx.createUser(user, hash);
          return true;
        });
        if (!created) throw new VigilError('VIGIL_CONFLICT', 'setup is done: a user already exists; sign in instead');
        clearSetupCode(deps.config.dataDir);
        request.principal = { kind: 'session', name, role: 'admin', userId: user.id };
        await auditRequest(deps, request, 'user.create', name, { role: 'admin', via: 'setup' });
        await startSession(store, request, reply, user, now);
        return reply.status(201).send({ user: publicUser(user) });
      },
    );

    app.post<{ Body: { name: string; password: string } }>(
      '/session',
      {
        config: { public: true },
        schema: { summary: 'Signs in; sets the session cookie', security: [], body: credentialsBody },
      },
      async (request, reply) => {
        const { name, password } = request.body;
        const now = clock.now();
        const keys = [lockoutKey(name, request.ip), addressKey(request.ip)];
        const wait = Math.max(lockout.waitMs(keys[0], now), addressLockout.waitMs(keys[1], now));
        if (wait > 0) {
          reply.header('retry-after', Math.ceil(wait / 1000));
          throw new VigilError(
            'VIGIL_TOO_MANY_REQUESTS',
            `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`,
            { retryAfterS: Math.ceil(wait / 1000) },
          );
        }
        // Counted as a failure before the (slow) password check, so parallel guesses cannot all slip past the count;
        // a right password takes it back.
        lockout.fail(keys[0], now);
        addressLockout.fail(keys[1], now);
        const user = await store.getUserByName(name);
        const stored = user ? await store.getPasswordHash(user.id) : undefined;
        const ok = stored
          ? await verifyPassword(password, stored)
          : (await verifyPassword(password, await (dummyHash ??= hashPassword('x'.repeat(12)))), false);
        if (!ok || !user) {
          await store.audit({
            ts: clock.now(),
            actor: name,
            action: 'session.login',
            details: { address: request.ip },
            result: 'failed',
          });
          throw new VigilError('VIGIL_UNAUTHENTICATED', 'wrong user name or password');
        }
        if (user.disabled) {
          await store.audit({
            ts: clock.now(),
            actor: name,
            action: 'session.login',
            details: { address: request.ip },
            result: 'disabled',
          });
          throw new VigilError('VIGIL_FORBIDDEN', 'this account is disabled; ask an admin');
        }
        lockout.succeed(keys[0]);
        addressLockout.undoFailure(keys[1]);
        await store.updateUser(user.id, { lastLoginTs: now, updatedTs: user.updatedTs });
        request.principal = { kind: 'session', name: user.name, role: user.role, userId: user.id };
        await auditRequest(deps, request, 'session.login', user.name);
        await startSession(store, request, reply, user, now);
        return { user: publicUser({ ...user, lastLoginTs: now }) };
      },
    );

    // Public so that a stale cookie can always be cleared.
    app.delete(
      '/session',
      { config: { public: true }, schema: { summary: 'Signs out; clears the session cookie', security: [] } },
      async (request, reply) => {
        await endSession(store, request, reply);
        return reply.status(204).send();
      },
    );

    app.get(
      '/session',
      { config: { role: 'viewer' }, schema: { summary: 'Who is signed in (session or token)' } },
      async (request) => {
        const p = request.principal!;
        const user = p.userId ? await store.getUser(p.userId) : undefined;
        return { kind: p.kind, name: p.name, role: p.role, user: user ? publicUser(user) : undefined };
      },
    );

    app.patch<{
      Body: { locale?: string | null; theme?: 'light' | 'dark' | null; password?: string; currentPassword?: string };
    }>(
      '/me',
      {
        config: { role: 'viewer' },
        schema: {
          summary: "Changes the signed-in user's language, theme or password",
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              locale: { type: ['string', 'null'], enum: ['en', 'ko', null] },
              theme: { type: ['string', 'null'], enum: ['light', 'dark', null] },
              password: { type: 'string' },
              currentPassword: { type: 'string' },
            },
          },
        },
      },
      async (request) => {
        const p = request.principal!;
        const user = p.userId ? await store.getUser(p.userId) : undefined;
        if (!user) throw new VigilError('VIGIL_BAD_REQUEST', 'this token belongs to no user');
        const b = request.body;
        let hash: string | undefined;
        if (b.password !== undefined) {
          const stored = await store.getPasswordHash(user.id);
          if (!b.currentPassword || !stored || !(await verifyPassword(b.currentPassword, stored)))
            throw new VigilError('VIGIL_FORBIDDEN', 'current password is wrong');
          const problem = passwordProblem(b.password);
          if (problem) throw new VigilError('VIGIL_VALIDATION', problem);
          hash = await hashPassword(b.password);
        }
        const patch: Partial<User> = { updatedTs: clock.now() };
        if (b.locale !== undefined) patch.locale = b.locale ?? undefined;
        if (b.theme !== undefined) patch.theme = b.theme ?? undefined;
        // One transaction: the new password and the other sessions' end take effect together.
        await store.transaction(async (tx) => {
          await tx.updateUser(user.id, patch, hash);
          // Whoever else holds a session of this user (a stolen cookie, another browser) is signed out; this one stays.
          if (hash) await endOtherSessions(tx, request, user.id);
        });
        if (hash) await auditRequest(deps, request, 'user.password', user.name);
        return { user: publicUser((await store.getUser(user.id))!) };
      },
    );
  };
}

/** Setup, login/logout and /me, with the default lockouts (per name and address: 3 free failures, then 1 s doubling to 15 min; per address: ADDRESS_LIMIT). */
export const sessionRoutes: RouteModule = (app, deps) =>
  sessionRoutesWith(createLockout(), createLockout(ADDRESS_LIMIT))(app, deps);
