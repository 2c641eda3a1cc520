import { VigilError } from '../../model/errors.ts';

/**
 * Runs a write whose keys must be free; a UNIQUE or PRIMARY KEY violation becomes VIGIL_CONFLICT (409) with
 * `message`, so that callers see the same stable error from every backend rather than a driver's own.
 */
export function unlessTaken<T>(message: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      throw new VigilError('VIGIL_CONFLICT', message);
    throw error;
  }
}
