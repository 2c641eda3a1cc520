#!/usr/bin/env node
// The `vigil` command. In a checkout it runs the TypeScript sources through tsx, so it is never stale;
// an installed package without src/ runs the build in dist/.
// SNMPv3 DES privacy needs OpenSSL's legacy provider, which Node only loads from a start-up flag:
// without it we run ourselves again with the flag (once; VIGIL_NO_REEXEC stops the loop).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = new URL('../src/cli/main.ts', import.meta.url);
const fromSource = existsSync(fileURLToPath(src)) && process.env.VIGIL_USE_DIST !== '1';

if (!process.execArgv.includes('--openssl-legacy-provider') && !process.env.VIGIL_NO_REEXEC) {
  // From source, tsx is loaded as a start-up flag so that worker threads (the store writer) inherit it.
  // V8 grows the heap lazily far past the live set (about 85 MB while polling 2,000 devices): a ceiling keeps RSS
  // near what is used. VIGIL_HEAP_MB (or --max-old-space-size in NODE_OPTIONS) sets another.
  const heap = /max-old-space-size/.test(process.env.NODE_OPTIONS ?? '')
    ? []
    : [`--max-old-space-size=${Number(process.env.VIGIL_HEAP_MB) || 384}`];
  const flags = [
    '--openssl-legacy-provider',
    ...heap,
    ...(fromSource ? ['--import', import.meta.resolve('tsx')] : []),
    ...process.execArgv,
  ];
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, VIGIL_NO_REEXEC: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 0)));
} else {
  if (fromSource) {
    if (!process.execArgv.some((a) => a.includes('tsx'))) (await import('tsx/esm/api')).register();
    await import(src.href);
  } else {
    await import(new URL('../dist/cli/main.js', import.meta.url).href);
  }
}
