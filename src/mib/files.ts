import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A MIB file on the search path, with what the cache fingerprint needs. */
export interface MibFile {
  path: string;
  size: number;
  mtimeMs: number;
}

// Files that sit beside MIBs in vendor bundles but are never MIBs. Anything else is tried,
// whatever its extension (.my, .txt, .mib, none): modules are found by what the file declares.
const NOT_MIB =
  /^(readme|license|copying|changelog|makefile)|\.(index|gz|zip|tgz|tar|bz2|xz|pdf|html?|md|json|ya?ml|c|h|py|pl|sh|exe|bin|png|jpe?g|gif|bak|orig|rej)$/i;

/** Lists MIB files under each directory (recursively, sorted by name), in search-path order; missing dirs are skipped. */
export function listMibFiles(dirs: string[]): MibFile[] {
  const out: MibFile[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || NOT_MIB.test(name)) continue;
      const path = join(dir, name);
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 4) walk(path, depth + 1);
      } else if (st.isFile() && !seen.has(path)) {
        seen.add(path);
        out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  for (const dir of dirs) walk(dir, 0);
  return out;
}
