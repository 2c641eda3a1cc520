#!/usr/bin/env node
// The `vigil` command: runs the built CLI (dist/), or the TypeScript sources through tsx when not built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const dist = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (existsSync(dist)) await import(dist);
else {
  await import('tsx/esm');
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
