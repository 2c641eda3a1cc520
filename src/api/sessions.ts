import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store, User } from '../store/types.ts';
import type { Principal } from './auth.ts';
import type { PrincipalResolver } from './server.ts';

export const SESSION_COOKIE = 'vigil_session';
/** Idle lifetime of a session; each use slides it. */
export const SESSION_IDLE_MS = 12 * 3600_000;
// Writing last-seen on every request would make each GET a write; once a minute is enough.
const TOUCH_EVERY_MS = 60_000;

const hashSession = (value: string) => createHash('sha256').update(value).digest('hex');

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      // Malformed percent-encoding is no session (401), not an exception on every route (500).
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** True when the request reached us over HTTPS (directly or through a proxy that says so). */
const isHttps = (request: FastifyRequest) =>
  request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';

function cookieHeader(request: FastifyRequest, value: string, maxAgeS: number): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeS}`,
  ];
  if (isHttps(request)) parts.push('Secure');
  return parts.join('; ');
}

/** Starts a session for `user`: stores the hash, sets the cookie on the reply. */
export async function startSession(
  store: Store,
  request: FastifyRequest,
  reply: FastifyReply,
  user: User,
  now: number,
): Promise<void> {
  const value = randomBytes(32).toString('base64url');
  await store.createSession({
    hash: hashSession(value),
    userId: user.id,
    createdTs: now,
    expiresTs: now + SESSION_IDLE_MS,
    lastSeenTs: now,
    address: request.ip,
  });
  reply.header('set-cookie', cookieHeader(request, value, Math.floor(SESSION_IDLE_MS / 1000)));
}

/** Ends every session of `userId` but the one this request came with. */
export async function endOtherSessions(store: Store, request: FastifyRequest, userId: string): Promise<void> {
  const value = readCookie(request.headers.cookie, SESSION_COOKIE);
  await store.deleteUserSessions(userId, value ? hashSession(value) : undefined);
}

/** Ends the request's session (if any) and clears the cookie. */
export async function endSession(store: Store, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const value = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (value) await store.deleteSession(hashSession(value));
  reply.header('set-cookie', cookieHeader(request, '', 0));
}

/**
 * The principal resolver for session cookies; pass it to `buildApi(deps, { resolvers: [sessionResolver(store)] })`.
 * @example const app = await buildApi(deps, { resolvers: [sessionResolver(deps.store)] });
 */
export function sessionResolver(store: Store, clock: { now(): number } = { now: Date.now }): PrincipalResolver {
  return async (request): Promise<Principal | undefined> => {
    const value = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!value) return undefined;
    const hash = hashSession(value);
    const s = await store.getSession(hash);
    const now = clock.now();
    if (!s) return undefined;
    if (s.expiresTs < now) {
      await store.deleteSession(hash);
      return undefined;
    }
    const user = await store.getUser(s.userId);
    if (!user || user.disabled) return undefined;
    if (now - s.lastSeenTs > TOUCH_EVERY_MS) await store.touchSession(hash, now, now + SESSION_IDLE_MS);
    return { kind: 'session', name: user.name, role: user.role, userId: user.id };
  };
}
