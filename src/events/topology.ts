import type { Device } from '../model/device.ts';

/** The inventory as rules see it: lookup by id, and the parent tree for dependencies and path scopes. */
export interface Topology {
  device(id: string): Device | undefined;
  /** Parent, grandparent, … (cycles cut). */
  ancestors(id: string): string[];
  /** Every device whose path to the root goes through `id`. */
  descendants(id: string): string[];
  all(): Device[];
}

export function buildTopology(devices: Device[]): Topology {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const children = new Map<string, string[]>();
  for (const d of devices) {
    if (!d.parentId) continue;
    let list = children.get(d.parentId);
    if (!list) children.set(d.parentId, (list = []));
    list.push(d.id);
  }
  const anc = new Map<string, string[]>();
  const desc = new Map<string, string[]>();
  return {
    device: (id) => byId.get(id),
    all: () => devices,
    ancestors(id) {
      let out = anc.get(id);
      if (out) return out;
      out = [];
      const seen = new Set([id]);
      let cur = byId.get(id)?.parentId;
      while (cur && !seen.has(cur)) {
        seen.add(cur);
        out.push(cur);
        cur = byId.get(cur)?.parentId;
      }
      anc.set(id, out);
      return out;
    },
    descendants(id) {
      let out = desc.get(id);
      if (out) return out;
      out = [];
      const seen = new Set([id]);
      const stack = [...(children.get(id) ?? [])];
      while (stack.length) {
        const c = stack.pop()!;
        if (seen.has(c)) continue;
        seen.add(c);
        out.push(c);
        stack.push(...(children.get(c) ?? []));
      }
      desc.set(id, out);
      return out;
    },
  };
}
