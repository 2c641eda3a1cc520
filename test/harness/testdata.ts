import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `bash scripts/fetch-testdata.sh` puts the material for a clone without ../shared. */
export const FETCHED_TESTDATA = join(ROOT, '.testdata');

/**
 * The shared test material: $VIGIL_TESTDATA, else ../shared beside the project root, else what
 * scripts/fetch-testdata.sh fetched into .testdata/. Throws, saying what to run, when there is none.
 */
export function testDataDir(): string {
  const env = process.env.VIGIL_TESTDATA;
  if (env) {
    if (!existsSync(env))
      throw new Error(`VIGIL_TESTDATA=${env} does not exist; unset it, or run: bash scripts/fetch-testdata.sh ${env}`);
    return env;
  }
  const shared = resolve(ROOT, '..', 'shared');
  if (existsSync(shared)) return shared;
  if (existsSync(join(FETCHED_TESTDATA, '.complete'))) return FETCHED_TESTDATA;
  throw new Error(
    `no test data: VIGIL_TESTDATA is unset, ${shared} does not exist and ${FETCHED_TESTDATA} is not complete; run: bash scripts/fetch-testdata.sh`,
  );
}

/** A path inside the shared test material, e.g. `testDataPath('logs', 'Linux_2k.log')`. */
export const testDataPath = (...parts: string[]) => join(testDataDir(), ...parts);
