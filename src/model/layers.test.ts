/**
 * The folder layering of src/ (docs: ARCHITECTURE "A folder never imports a folder that imports it back; shared types
 * live in model/"), checked over the source as it is now: every relative import of every non-test file, `import type`
 * included, counts as an edge from its top-level folder to the imported one.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('..', import.meta.url));
const web = fileURLToPath(new URL('../../web/src', import.meta.url));

/** Relative specifiers of static, type and re-export statements, side-effect imports and `import('…')`. */
const IMPORT = new RegExp(
  [
    /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?)?\s*from\s*['"](\.[^'"]+)['"]/
      .source,
    /^[ \t]*import\s*['"](\.[^'"]+)['"]/.source,
    /\bimport\s*\(\s*['"](\.[^'"]+)['"]/.source,
  ].join('|'),
  'gm',
);

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Each relative import of the files under `dir`: the importing file and the imported path, both absolute. */
function imports(dir: string): { from: string; to: string; line: string }[] {
  return sources(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({
      from: file,
      to: normalize(join(dirname(file), m[1] ?? m[2] ?? m[3])),
      line: m[0].replace(/\s+/g, ' '),
    })),
  );
}

/** The top-level entry of src/ a path is in (`store` for src/store/sqlite/x.ts, `main.ts` for src/main.ts). */
const folderOf = (path: string) => relative(src, path).split(sep)[0];

/** Folder → folder it imports → the imports that make the edge. */
function folderGraph(): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const { from, to, line } of imports(src)) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (!b || b.startsWith('..') || a === b) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    const out = edges.get(a)!;
    if (!out.has(b)) out.set(b, []);
    out.get(b)!.push(`${relative(src, from)}: ${line}`);
  }
  return edges;
}

test('no folder under src/ imports a folder that imports it back', () => {
  const edges = folderGraph();
  assert.ok(edges.get('store')?.has('model'), 'the import scan finds the imports (store imports model)');
  const cycles: string[] = [];
  for (const [a, out] of edges)
    for (const [b, lines] of out)
      if (a < b && edges.get(b)?.has(a))
        cycles.push(`${a} <-> ${b}\n  ${[...lines, ...edges.get(b)!.get(a)!].join('\n  ')}`);
  assert.deepEqual(cycles, [], `folders that import each other:\n${cycles.join('\n')}`);
});

test('no longer cycle runs through the folders of src/ either (a → b → c → a)', () => {
  const edges = folderGraph();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found: string[] = [];
  const visit = (a: string) => {
    state.set(a, 'open');
    path.push(a);
    for (const b of edges.get(a)?.keys() ?? []) {
      if (state.get(b) === 'open') found.push([...path.slice(path.indexOf(b)), b].join(' → '));
      else if (!state.has(b)) visit(b);
    }
    path.pop();
    state.set(a, 'done');
  };
  for (const a of [...edges.keys()].sort()) if (!state.has(a)) visit(a);
  assert.deepEqual(found, [], `folder cycles:\n${found.join('\n')}`);
});

test('model is the lowest layer: it imports nothing else from src/', () => {
  const outside = imports(join(src, 'model')).filter(({ to }) => folderOf(to) !== 'model');
  assert.deepEqual(
    outside.map(({ from, line }) => `${relative(src, from)}: ${line}`),
    [],
  );
});

test('the web UI takes its types from src/model only', () => {
  const model = join(src, 'model') + sep;
  const intoSrc = imports(web).filter(({ to }) => to.startsWith(src) && !to.startsWith(model));
  assert.deepEqual(
    intoSrc.map(({ from, line }) => `${relative(web, from)}: ${line}`),
    [],
  );
});
