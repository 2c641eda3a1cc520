import type { Inventory } from '../inventory/index.ts';
import { VigilError } from '../model/errors.ts';
import type { ApiDeps } from './context.ts';

/** A service registered by the composition root, or 503 when that part is not running. */
export function service<T>(deps: ApiDeps, name: string): T {
  const s = deps.services[name];
  if (!s) throw new VigilError('VIGIL_UNAVAILABLE', `${name} is not running`);
  return s as T;
}

export const inventoryOf = (deps: ApiDeps) => service<Inventory>(deps, 'inventory');
