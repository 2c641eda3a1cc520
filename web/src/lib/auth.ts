import { createContext, useContext } from 'react';

export type Role = 'admin' | 'operator' | 'viewer';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Me {
  kind: 'session' | 'token';
  name: string;
  role: Role;
  user?: { id: string; name: string; role: Role; locale?: string; theme?: 'light' | 'dark' };
}

export interface Auth {
  me: Me;
  /** True when the signed-in user's role allows what needs `role`; the UI hides what it does not. */
  can(role: Role): boolean;
  logout(): void;
  savePrefs(p: { locale?: string | null; theme?: 'light' | 'dark' | null }): void;
}

export const roleAllows = (have: Role, need: Role) => RANK[have] >= RANK[need];
export const AuthContext = createContext<Auth | null>(null);
export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside the signed-in app');
  return a;
}
