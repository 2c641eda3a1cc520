import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared test material: $VIGIL_TESTDATA, else ../shared beside the project root. */
export function testDataDir(): string {
  return process.env.VIGIL_TESTDATA ?? resolve(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared');
}

/** A path inside the shared test material, e.g. `testDataPath('logs', 'Linux_2k.log')`. */
export const testDataPath = (...parts: string[]) => join(testDataDir(), ...parts);
