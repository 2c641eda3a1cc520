import type { MibNode } from './types.ts';

/**
 * The dictionary's nodes by number. A table read from the cache builds node objects only when one is asked
 * for, so start-up pays for the OID map and not for 170k objects.
 */
export interface NodeTable {
  readonly length: number;
  oid(i: number): string;
  name(i: number): string;
  module(i: number): string;
  at(i: number): MibNode;
}

/** A table over nodes already in memory (a fresh compile). */
export function arrayTable(nodes: MibNode[]): NodeTable {
  return {
    length: nodes.length,
    oid: (i) => nodes[i].oid,
    name: (i) => nodes[i].name,
    module: (i) => nodes[i].module,
    at: (i) => nodes[i],
  };
}

/** A table over columns, materialising (and keeping) each node on first use. */
export function lazyTable(cols: { oid: string[]; name: string[]; module: (i: number) => string }, build: (i: number) => MibNode): NodeTable {
  const made: (MibNode | undefined)[] = new Array(cols.oid.length);
  return {
    length: cols.oid.length,
    oid: (i) => cols.oid[i],
    name: (i) => cols.name[i],
    module: cols.module,
    at: (i) => (made[i] ??= build(i)),
  };
}
