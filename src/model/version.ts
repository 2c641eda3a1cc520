import { readFileSync } from 'node:fs';

/** Vigil's version, from package.json (two levels up from src/model and from dist/model alike). */
export const VIGIL_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
})();
