import { fingerprint } from './cache.ts';
import { listMibFiles, type MibFile } from './files.ts';
import { mibSearchPath, type MibLoadOptions } from './load.ts';

/**
 * The search path's fingerprint, as `currentFingerprint` computes it, one directory at a time with the event loop
 * served in between: the periodic rescan stats every file (5,600 files: ~50 ms), too long to hold sockets and timers
 * up in one go. Lists exactly what `listMibFiles` lists for the whole path (a file reached twice counts where it was
 * first seen), so it matches the fingerprint a compile writes into the cache.
 * @example if ((await currentFingerprintAsync(opts)) !== compiledFrom) recompile();
 */
export async function currentFingerprintAsync(opts: MibLoadOptions): Promise<string> {
  const files: MibFile[] = [];
  const seen = new Set<string>();
  for (const dir of mibSearchPath(opts)) {
    await new Promise((resolve) => setImmediate(resolve));
    for (const f of listMibFiles([dir])) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      files.push(f);
    }
  }
  return fingerprint(files);
}
