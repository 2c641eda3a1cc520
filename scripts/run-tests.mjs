#!/usr/bin/env node
// Finds every *.test.ts under src/ and test/ and runs them with Node's test runner (through tsx),
// one file per process, two at a time. Usage: node scripts/run-tests.mjs [filter...]
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}
const files = ['src', 'test']
  .flatMap((d) => {
    try {
      return find(join(root, d));
    } catch {
      return [];
    }
  })
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
const args = [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec',
  ...(process.env.VIGIL_NODE_FLAGS ? process.env.VIGIL_NODE_FLAGS.split(' ') : []),
  ...files,
];
const child = spawn(process.execPath, ['--openssl-legacy-provider', ...args], { stdio: 'inherit', cwd: root });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
