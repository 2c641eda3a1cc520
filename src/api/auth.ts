import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiToken, Role, Store } from '../store/types.ts';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
/** True when `have` may do what needs `need`. */
export const roleAllows = (have: Role, need: Role) => RANK[have] >= RANK[need];

/** Who made a request. */
export interface Principal {
  kind: 'token' | 'session';
  name: string;
  role: Role;
  userId?: string;
  tokenId?: string;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Creates an API token: returns the token text once; only its SHA-256 hash is stored.
 * @example const { token } = await createApiToken(store, { name: 'ci', role: 'viewer' });
 */
export async function createApiToken(
  store: Store,
  opts: { name: string; role: Role; userId?: string; now?: number },
): Promise<{ token: string; info: ApiToken }> {
  const token = `vgl_${randomBytes(24).toString('base64url')}`;
  const info: ApiToken = {
    id: randomUUID(),
    name: opts.name,
    role: opts.role,
    userId: opts.userId,
    createdTs: opts.now ?? Date.now(),
  };
  if (!info.userId) delete info.userId;
  await store.createToken(info, hashToken(token));
  return { token, info };
}

/** The lower of two roles. */
export const lesserRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

/**
 * The principal for a bearer token, or undefined. A user's token never acts above its owner's current role, and
 * dies with its owner (deleted or disabled); tokens made by `vigil token create` belong to no user and keep their role.
 */
export async function principalForToken(store: Store, token: string): Promise<Principal | undefined> {
  const t = await store.findTokenByHash(hashToken(token));
  if (!t) return undefined;
  let role = t.role;
  if (t.userId) {
    const owner = await store.getUser(t.userId);
    if (!owner || owner.disabled) return undefined;
    role = lesserRole(role, owner.role);
  }
  await store.touchToken(t.id, Date.now());
  return { kind: 'token', name: t.name, role, userId: t.userId, tokenId: t.id };
}
