import cytoscape from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LinkHistoryEntry, TopologyLink } from '../../../src/model/topology.ts';
import { Link } from '../components/Link.tsx';
import { Card, ErrorLine } from '../components/ui.tsx';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { type I18n, useI18n } from '../lib/i18n.ts';
import { navigate, setQuery, useLocation } from '../lib/router.ts';
import type { DeviceView } from '../lib/types.ts';

type Pos = { x: number; y: number };
type LayoutMode = 'hierarchical' | 'grouped' | 'saved';
type GroupBy = 'site' | 'group';
interface TopologyResponse {
  positions?: Record<string, Pos>;
  links?: TopologyLink[];
  /** Only with ?device=, and only once the server keeps it. */
  history?: LinkHistoryEntry[];
}
interface Latest {
  deviceId: string;
  labels: Record<string, string>;
  value: number;
}
interface MapNode {
  id: string;
  label: string;
  kind: 'device' | 'unknown';
  state?: string;
  /** Unknown neighbours: who they claim to be, and the first device that sees them (their group on a grouped map). */
  remote?: { name?: string; address?: string };
  anchor?: string;
}
/** A link with its far end resolved to a node of the map (a device, or an unknown neighbour's node). */
interface MapLink {
  link: TopologyLink;
  source: string;
  target: string;
}
interface MapModel {
  nodes: Map<string, MapNode>;
  links: MapLink[];
  adjacency: Map<string, string[]>;
}
type Selection = { kind: 'device' | 'unknown' | 'link'; id: string };
type Placed = [id: string, x: number, y: number];
interface Block {
  w: number;
  h: number;
  place: Placed[];
}

const STATE_COLOUR: Record<string, string> = { up: '#16a34a', down: '#dc2626', unknown: '#8a94a6' };
const UNKNOWN_NODE = '#94a3b8';
const STEP_X = 90;
const SUB_ROW = 60;
const LEVEL_GAP = 130;
const BLOCK_GAP = 160;
/** Above this many nodes or links: straight (haystack) edges, pixel ratio 1, no labels while the view moves. */
const LARGE_NODES = 400;
const LARGE_EDGES = 800;
/** Fitting never zooms in further than this, so a map of one device is not one giant circle. */
const FIT_MAX_ZOOM = 1.25;
const ROOT_KEY = 'vigil.topology.root';
/** A 1×1 transparent GIF (see the compound-node style). */
const BLANK_IMAGE = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
/** Emitted on the map when its elements or their styles were replaced. */
const BUILT = 'vigil-built';
const MODES: LayoutMode[] = ['hierarchical', 'grouped', 'saved'];

function utilColour(pct: number | undefined): string {
  if (pct === undefined) return '#94a3b8';
  if (pct >= 90) return '#dc2626';
  if (pct >= 70) return '#d97706';
  if (pct >= 30) return '#2563eb';
  return '#16a34a';
}

/** Devices and the links between them; a neighbour outside the inventory becomes one node per name it reports. */
function buildModel(devices: Map<string, DeviceView>, links: TopologyLink[]): MapModel {
  const nodes = new Map<string, MapNode>();
  for (const d of devices.values()) nodes.set(d.id, { id: d.id, label: d.name, kind: 'device', state: d.state });
  const shown: MapLink[] = [];
  const adjacency = new Map<string, string[]>();
  const connect = (p: string, q: string) => {
    let list = adjacency.get(p);
    if (!list) adjacency.set(p, (list = []));
    list.push(q);
  };
  for (const link of links) {
    if (!devices.has(link.a)) continue;
    let target = link.b;
    if (!target || !devices.has(target)) {
      const name = link.remote?.name || link.remote?.address || link.b || link.id;
      target = `unknown:${name}`;
      if (!nodes.has(target))
        nodes.set(target, { id: target, label: name, kind: 'unknown', remote: link.remote, anchor: link.a });
    }
    if (target === link.a) continue;
    shown.push({ link, source: link.a, target });
    connect(link.a, target);
    connect(target, link.a);
  }
  return { nodes, links: shown, adjacency };
}

/**
 * Breadth-first levels of each connected component. A component's root is the device marked as root when it is in
 * it, else its device with the most links: walking the nodes by falling degree, the first one not yet reached is
 * the best-connected node of a component not yet seen.
 */
function bfsComponents(ids: string[], adjacency: Map<string, string[]>, root?: string): string[][][] {
  const degree = (id: string) => adjacency.get(id)?.length ?? 0;
  const order = [...ids].sort((p, q) => degree(q) - degree(p) || (p < q ? -1 : 1));
  if (root && adjacency.has(root)) order.unshift(root);
  const seen = new Set<string>();
  const components: string[][][] = [];
  for (const start of order) {
    if (seen.has(start)) continue;
    seen.add(start);
    const levels = [[start]];
    for (let level = levels[0]; level.length > 0; ) {
      const next: string[] = [];
      for (const id of level) for (const n of adjacency.get(id) ?? []) if (!seen.has(n)) seen.add(n), next.push(n);
      if (next.length > 0) levels.push(next);
      level = next;
    }
    components.push(levels);
  }
  return components;
}

/** Ids in rows of `cols`, below `top` (room for a group's label). */
function gridBlock(ids: string[], top = 0): Block {
  const cols = Math.max(6, Math.ceil(Math.sqrt(ids.length * 2)));
  const place = ids.map(
    (id, i): Placed => [id, (i % cols) * STEP_X + STEP_X / 2, top + Math.floor(i / cols) * SUB_ROW],
  );
  return { w: Math.min(cols, ids.length) * STEP_X, h: top + Math.ceil(ids.length / cols) * SUB_ROW, place };
}

/** Blocks on shelves, left to right, wrapping at about the width that makes the whole roughly square. */
function pack(blocks: Block[]): Map<string, Pos> {
  const out = new Map<string, Pos>();
  const area = blocks.reduce((s, b) => s + (b.w + BLOCK_GAP) * (b.h + BLOCK_GAP), 0);
  const maxW = blocks.reduce((m, b) => Math.max(m, b.w), Math.sqrt(area) * 1.4);
  let x = 0;
  let y = 0;
  let shelf = 0;
  for (const b of blocks) {
    if (x > 0 && x + b.w > maxW) (x = 0), (y += shelf + BLOCK_GAP), (shelf = 0);
    for (const [id, px, py] of b.place) out.set(id, { x: x + px, y: y + py });
    x += b.w + BLOCK_GAP;
    shelf = Math.max(shelf, b.h);
  }
  return out;
}

/** Top-down from each component's root; a wide level wraps onto several rows so the map stays near square. */
function hierarchyLayout(components: string[][][]): Map<string, Pos> {
  const blocks: Block[] = [];
  const loners: string[] = [];
  for (const levels of components) {
    if (levels.length === 1) {
      loners.push(...levels[0]);
      continue;
    }
    const size = levels.reduce((n, l) => n + l.length, 0);
    const perRow = Math.max(10, Math.ceil(Math.sqrt(size) * 1.5));
    const w =
      Math.min(
        perRow,
        levels.reduce((m, l) => Math.max(m, l.length), 0),
      ) * STEP_X;
    const place: Placed[] = [];
    let y = 0;
    for (const level of levels) {
      for (let i = 0; i < level.length; i += perRow) {
        const row = level.slice(i, i + perRow);
        const x0 = (w - row.length * STEP_X) / 2 + STEP_X / 2;
        // Every other node a little lower, so a link along a row does not run through the nodes between its ends.
        row.forEach((id, j) => place.push([id, x0 + j * STEP_X, y + (j % 2) * 16]));
        y += SUB_ROW;
      }
      y += LEVEL_GAP - SUB_ROW;
    }
    blocks.push({ w, h: y, place });
  }
  if (loners.length > 0) blocks.push(gridBlock(loners));
  return pack(blocks);
}

/** One block per group, its members in breadth-first order so that neighbours sit together. */
function groupedLayout(components: string[][][], groupOf: (id: string) => string): Map<string, Pos> {
  const members = new Map<string, string[]>();
  for (const levels of components)
    for (const level of levels)
      for (const id of level) {
        const g = groupOf(id);
        const list = members.get(g);
        if (list) list.push(id);
        else members.set(g, [id]);
      }
  const names = [...members.keys()].sort();
  return pack(names.map((g) => gridBlock(members.get(g)!, 30)));
}

/** Places nodes that have no position yet beside a placed neighbour, or in a grid below the map. */
function placeNew(ids: Iterable<string>, pos: Map<string, Pos>, adjacency: Map<string, string[]>): void {
  let pending = [...ids].filter((id) => !pos.has(id));
  const rings = new Map<string, number>();
  while (pending.length > 0) {
    const rest: string[] = [];
    for (const id of pending) {
      const anchor = adjacency.get(id)?.find((n) => pos.has(n));
      if (!anchor) {
        rest.push(id);
        continue;
      }
      const k = rings.get(anchor) ?? 0;
      rings.set(anchor, k + 1);
      const p = pos.get(anchor)!;
      const r = 70 + 8 * k;
      pos.set(id, { x: p.x + r * Math.cos(k * 2.4), y: p.y + r * Math.sin(k * 2.4) });
    }
    if (rest.length === pending.length) break;
    pending = rest;
  }
  if (pending.length === 0) return;
  let left = Number.POSITIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (const p of pos.values()) (left = Math.min(left, p.x)), (bottom = Math.max(bottom, p.y));
  if (!Number.isFinite(left)) (left = 0), (bottom = -LEVEL_GAP);
  for (const [id, x, y] of gridBlock(pending).place) pos.set(id, { x: left + x, y: bottom + LEVEL_GAP + y });
}

const groupNodeId = (g: string) => `group:${g}`;
const pairKey = (p: string, q: string) => (p < q ? `${p}|${q}` : `${q}|${p}`);
/** A LAG is identified by its two ends and the aggregate interface on each, whichever way round its members point. */
function lagKey(s: MapLink): string {
  const agg = s.link.aggregate ?? {};
  return s.source < s.target
    ? `${s.source}|${s.target}|${agg.aIfIndex ?? ''}|${agg.bIfIndex ?? ''}`
    : `${s.target}|${s.source}|${agg.bIfIndex ?? ''}|${agg.aIfIndex ?? ''}`;
}
function utilKeys(s: MapLink, out: Set<string>, withAggregate: boolean): void {
  const { link } = s;
  const farIsDevice = link.b !== undefined && s.target === link.b;
  if (link.aIfIndex !== undefined) out.add(`${link.a}/${link.aIfIndex}`);
  if (farIsDevice && link.bIfIndex !== undefined) out.add(`${link.b}/${link.bIfIndex}`);
  if (!withAggregate || !link.aggregate) return;
  if (link.aggregate.aIfIndex !== undefined) out.add(`${link.a}/${link.aggregate.aIfIndex}`);
  if (farIsDevice && link.aggregate.bIfIndex !== undefined) out.add(`${link.b}/${link.aggregate.bIfIndex}`);
}

interface ElementOptions {
  /** Present on a grouped map: the group of a node ('' when it has none). */
  groupOf?: (id: string) => string;
  collapsed: Set<string>;
  expandedLags: Set<string>;
  positions: Map<string, Pos>;
  root?: string;
  noGroup: string;
  /** The edge's colour, width and label now, so that the first frame needs no repaint. */
  look(edge: Parameters<typeof edgeLook>[0]): EdgeLook;
}

/**
 * The map's elements: devices and unknown neighbours (inside their group's compound node on a grouped map), one
 * edge per link, one per LAG while it is bundled, and one per pair of ends where a group is collapsed.
 */
function toElements(model: MapModel, o: ElementOptions): cytoscape.ElementDefinition[] {
  const els: cytoscape.ElementDefinition[] = [];
  const { groupOf, collapsed } = o;
  const shown = (id: string) => {
    const g = groupOf?.(id);
    return g !== undefined && collapsed.has(g) ? groupNodeId(g) : id;
  };
  if (groupOf) {
    const members = new Map<string, MapNode[]>();
    for (const n of model.nodes.values()) {
      const list = members.get(groupOf(n.id));
      if (list) list.push(n);
      else members.set(groupOf(n.id), [n]);
    }
    for (const [g, nodes] of members) {
      const label = g || o.noGroup;
      if (!collapsed.has(g)) {
        els.push({ group: 'nodes', data: { id: groupNodeId(g), label, group: g }, classes: 'group' });
        continue;
      }
      let x = 0;
      let y = 0;
      const states = new Set<string | undefined>();
      for (const n of nodes) {
        const p = o.positions.get(n.id) ?? { x: 0, y: 0 };
        (x += p.x), (y += p.y);
        if (n.kind === 'device') states.add(n.state);
      }
      const state = states.has('down') ? 'down' : states.size === 1 && states.has('up') ? 'up' : 'unknown';
      els.push({
        group: 'nodes',
        data: { id: groupNodeId(g), label: `${label} (${nodes.length})`, group: g, colour: STATE_COLOUR[state] },
        classes: 'collapsed',
        position: { x: x / nodes.length, y: y / nodes.length },
      });
    }
  }
  for (const n of model.nodes.values()) {
    const g = groupOf?.(n.id);
    if (g !== undefined && collapsed.has(g)) continue;
    els.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: n.label,
        colour: n.kind === 'device' ? (STATE_COLOUR[n.state ?? 'unknown'] ?? STATE_COLOUR.unknown) : UNKNOWN_NODE,
        ...(g !== undefined ? { parent: groupNodeId(g) } : {}),
      },
      classes: n.id === o.root ? `${n.kind} root` : n.kind,
      position: { ...(o.positions.get(n.id) ?? { x: 0, y: 0 }) },
    });
  }

  const buckets = new Map<
    string,
    { kind: 'link' | 'lag' | 'summary'; source: string; target: string; of: MapLink[] }
  >();
  for (const s of model.links) {
    const source = shown(s.source);
    const target = shown(s.target);
    if (source === target) continue;
    let key = `link:${s.link.id}`;
    let kind: 'link' | 'lag' | 'summary' = 'link';
    if (source !== s.source || target !== s.target) (kind = 'summary'), (key = `sum:${pairKey(source, target)}`);
    else if (s.link.aggregate && !o.expandedLags.has(lagKey(s))) (kind = 'lag'), (key = `lag:${lagKey(s)}`);
    const bucket = buckets.get(key);
    if (bucket) bucket.of.push(s);
    else buckets.set(key, { kind, source, target, of: [s] });
  }
  const perPair = new Map<string, number>();
  for (const b of buckets.values())
    perPair.set(pairKey(b.source, b.target), (perPair.get(pairKey(b.source, b.target)) ?? 0) + 1);
  for (const [key, b] of buckets) {
    // A "bundle" of one member is just that link.
    const kind = b.kind === 'lag' && b.of.length === 1 ? 'link' : b.kind;
    const first = b.of[0];
    const keys = new Set<string>();
    for (const s of b.of) utilKeys(s, keys, kind === 'lag');
    const classes: string[] = [kind];
    if (kind === 'link' && first.link.origin === 'manual') classes.push('manual');
    else if (kind === 'link' && first.link.seenFrom === 'a') classes.push('one-sided');
    if ((perPair.get(pairKey(b.source, b.target)) ?? 0) > 1) classes.push('parallel');
    const base =
      kind === 'lag'
        ? 2 + Math.min(6, b.of.length)
        : kind === 'summary'
          ? 2 + Math.min(5, Math.log2(b.of.length))
          : 1.5;
    const look = { utilKeys: [...keys], kind, count: b.of.length, base };
    els.push({
      group: 'edges',
      data: {
        id: kind === 'link' ? `link:${first.link.id}` : key,
        source: b.source,
        target: b.target,
        link: first.link.id,
        lag: b.kind === 'lag' ? lagKey(first) : undefined,
        ...look,
        ...o.look(look),
      },
      classes: classes.join(' '),
      selectable: kind !== 'summary',
      // On a dense map most of the canvas is under some edge: dragging from one pans, as from the background.
      pannable: true,
    });
  }
  return els;
}

/** Colours and widths every edge by the highest utilisation of its ports (both ends, in and out). */
/** How an edge looks at a given utilisation: the highest of its ports' (both ends, in and out). */
type EdgeLook = { colour: string; width: number; label: string };
function edgeLook(
  edge: { utilKeys: string[]; kind: string; count: number; base: number },
  util: Map<string, number>,
  i18n: I18n,
): EdgeLook {
  let u = -1;
  for (const k of edge.utilKeys) u = Math.max(u, util.get(k) ?? -1);
  const known = u >= 0 ? u : undefined;
  const value = known !== undefined ? i18n.pct(known) : '';
  const label =
    edge.kind === 'lag'
      ? `${i18n.t('topo.lagCount', { n: edge.count })} ${value}`
      : edge.kind === 'summary'
        ? i18n.t('topo.linkCount', { n: edge.count })
        : value;
  return { colour: utilColour(known), width: edge.base + (known ?? 0) / 20, label };
}

/** Repaints the edges whose look changed (a data change restyles the edge, which costs on 5,000 of them). */
function paintEdges(cy: cytoscape.Core, util: Map<string, number>, i18n: I18n): void {
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const d = e.data() as EdgeLook & Parameters<typeof edgeLook>[0];
      const look = edgeLook(d, util, i18n);
      if (look.colour !== d.colour || look.width !== d.width || look.label !== d.label) e.data(look);
    });
  });
}

/**
 * Dash patterns are in model units, so zoomed out a dashed line becomes thousands of sub-pixel dashes, which a
 * software-rendered canvas draws slowly (a 2,000-device map: 400 ms a full frame instead of about 110). Zoomed out,
 * the dashed edges get a pattern scaled up by a power of two, so a dash stays a few pixels long on screen.
 */
const MANUAL_DASH = [8, 5];
const ONE_SIDED_DASH = [2, 4];
const DASH_SCALES = [1, 2, 4, 8, 16, 32];
function scaleDashes(cy: cytoscape.Core): boolean {
  const scale = DASH_SCALES.find((k) => cy.zoom() * k >= 1.5) ?? 32;
  if (cy.scratch('dashScale') === scale) return false;
  cy.scratch('dashScale', scale);
  cy.batch(() =>
    cy
      .edges('.manual, .one-sided')
      .removeClass(DASH_SCALES.map((k) => `dash${k}`).join(' '))
      .addClass(`dash${scale}`),
  );
  return true;
}

function fitBounded(cy: cytoscape.Core): void {
  cy.fit(undefined, 40);
  if (cy.zoom() > FIT_MAX_ZOOM) {
    cy.zoom(FIT_MAX_ZOOM);
    cy.center();
  }
}

function mapStyle(large: boolean): cytoscape.StylesheetJson {
  const css = getComputedStyle(document.documentElement);
  const text = css.getPropertyValue('--text').trim() || '#222';
  const muted = css.getPropertyValue('--muted').trim() || '#667';
  const border = css.getPropertyValue('--border').trim() || '#ccd';
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(colour)',
        label: 'data(label)',
        color: text,
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        width: 22,
        height: 22,
        // Labels only once they are readable (zoom ≥ 0.64); a zoomed-out map of 2,000 names is noise.
        'min-zoomed-font-size': 7,
      },
    },
    // Works around cytoscape 3.34 re-styling a compound node and all its members on every frame: with no background
    // image, drawing a node flips its "backgrounding" state, and a compound member's style update dirties its parent.
    // A loaded (transparent) image keeps that state still; without it a grouped 2,000-device map takes 300 ms a frame.
    { selector: ':parent, :child', style: { 'background-image': BLANK_IMAGE, 'background-image-opacity': 0 } },
    { selector: 'node.unknown', style: { width: 12, height: 12, 'font-size': 9, color: muted } },
    { selector: 'node.root', style: { shape: 'diamond', width: 30, height: 30 } },
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        'background-color': muted,
        'background-opacity': 0.07,
        'border-width': 1,
        'border-color': border,
        'text-valign': 'top',
        'text-margin-y': -4,
        'font-size': 28,
        'min-zoomed-font-size': 6,
        padding: '14px',
      },
    },
    {
      selector: 'node.collapsed',
      style: { shape: 'round-rectangle', width: 44, height: 30, 'font-size': 13, 'min-zoomed-font-size': 5 },
    },
    {
      selector: 'edge',
      style: {
        'line-color': 'data(colour)',
        width: 'data(width)',
        label: 'data(label)',
        'font-size': 9,
        color: text,
        'min-zoomed-font-size': 9,
        // Straight "haystack" lines are cheaper; links that share their ends keep bezier curves so they stay apart.
        'curve-style': large ? 'haystack' : 'bezier',
        'haystack-radius': 0.3,
        'control-point-step-size': 16,
      },
    },
    { selector: 'edge.parallel', style: { 'curve-style': 'bezier' } },
    { selector: 'edge.manual', style: { 'line-style': 'dashed', 'line-dash-pattern': MANUAL_DASH } },
    { selector: 'edge.one-sided', style: { 'line-style': 'dashed', 'line-dash-pattern': ONE_SIDED_DASH } },
    ...DASH_SCALES.flatMap((k) => [
      { selector: `edge.manual.dash${k}`, style: { 'line-dash-pattern': MANUAL_DASH.map((v) => v * k) } },
      { selector: `edge.one-sided.dash${k}`, style: { 'line-dash-pattern': ONE_SIDED_DASH.map((v) => v * k) } },
    ]),
    { selector: 'edge.lag', style: { 'text-background-color': border, 'text-background-opacity': 0.6 } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#2563eb' } },
    { selector: 'edge:selected', style: { 'overlay-color': '#2563eb', 'overlay-opacity': 0.3, 'overlay-padding': 4 } },
  ];
}

/** A short dashed/dotted/solid line for the legend. */
function LegendLine({ style }: { style: 'solid' | 'dashed' | 'dotted' }) {
  return (
    <span
      style={{
        display: 'inline-block',
        width: 22,
        borderTop: `${style === 'solid' ? 5 : 2}px ${style} currentColor`,
        verticalAlign: 'middle',
        margin: '0 4px 0 10px',
      }}
    />
  );
}

/**
 * The map of learned and manual links: devices coloured by status, links by utilisation. Layouts: hierarchical from
 * the core, grouped by site or device group (collapsible), or saved positions (new nodes placed beside a neighbour).
 * Sized for 2,000 devices and 5,000 links: cheap deterministic layouts, no force layout, and renderer shortcuts
 * while panning and zooming a large map.
 */
export function Topology() {
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useAuth();
  const { query } = useLocation();
  const devices = useDeviceIndex();
  const topo = useApi<TopologyResponse>('/topology');
  const inUtil = useApi<unknown>('/metrics/latest?name=if.in.util.pct', { refreshMs: 60_000 });
  const outUtil = useApi<unknown>('/metrics/latest?name=if.out.util.pct', { refreshMs: 60_000 });
  const box = useRef<HTMLDivElement>(null);
  const [cy, setCy] = useState<cytoscape.Core>();
  const positions = useRef(new Map<string, Pos>());
  const builtFor = useRef('');
  /** Set by collapse all / expand all, whose result is a different map worth fitting to the view. */
  const fitNext = useRef(false);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<Selection>();
  const [collapsed, setCollapsed] = useState(() => new Set<string>());
  const [expandedLags, setExpandedLags] = useState(() => new Set<string>());
  const [root, setRoot] = useState(() => localStorage.getItem(ROOT_KEY) ?? undefined);
  const [relayout, setRelayout] = useState(0);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [form, setForm] = useState({ a: '', b: '', aIf: '' });

  const hasSaved = Object.keys(topo.data?.positions ?? {}).length > 0;
  const asked = query.get('layout') as LayoutMode | null;
  const mode: LayoutMode = asked && MODES.includes(asked) ? asked : hasSaved ? 'saved' : 'hierarchical';
  const groupBy: GroupBy = query.get('by') === 'site' ? 'site' : 'group';

  const util = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of [...itemsOf<Latest>(inUtil.data), ...itemsOf<Latest>(outUtil.data)]) {
      const k = `${r.deviceId}/${r.labels.ifIndex}`;
      m.set(k, Math.max(m.get(k) ?? 0, r.value));
    }
    return m;
  }, [inUtil.data, outUtil.data]);
  const model = useMemo(
    () => (topo.data ? buildModel(devices, topo.data.links ?? []) : undefined),
    [topo.data, devices],
  );
  const groupOf = useMemo(() => {
    if (!model) return undefined;
    const cache = new Map<string, string>();
    for (const n of model.nodes.values()) {
      const d = devices.get(n.kind === 'unknown' ? (n.anchor ?? '') : n.id);
      cache.set(n.id, (groupBy === 'site' ? d?.site || 'default' : d?.group) ?? '');
    }
    return (id: string) => cache.get(id) ?? '';
  }, [model, devices, groupBy]);
  // The build reads utilisation through a ref: new figures repaint the edges, they do not rebuild the map.
  const utilNow = useRef(util);
  utilNow.current = util;
  const large = !!model && (model.nodes.size > LARGE_NODES || model.links.length > LARGE_EDGES);

  // One renderer per map size class: the large-graph shortcuts are options of the renderer.
  const haveData = !!topo.data;
  useEffect(() => {
    if (!box.current || !haveData) return;
    const instance = cytoscape({
      container: box.current,
      style: mapStyle(large),
      minZoom: 0.02,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      motionBlur: false,
      textureOnViewport: false,
      hideEdgesOnViewport: false,
      hideLabelsOnViewport: large,
      pixelRatio: large ? 1 : 'auto',
    });
    const data = (e: cytoscape.EventObject, key: string) => e.target.data(key) as string;
    instance.on('tap', (e) => e.target === instance && setSelected(undefined));
    instance.on('tap', 'node.device', (e) => setSelected({ kind: 'device', id: data(e, 'id') }));
    instance.on('tap', 'node.unknown', (e) => setSelected({ kind: 'unknown', id: data(e, 'id') }));
    instance.on('dbltap', 'node.device', (e) => navigate(`/devices/${encodeURIComponent(data(e, 'id'))}`));
    instance.on('tap', 'edge.link', (e) => setSelected({ kind: 'link', id: data(e, 'link') }));
    instance.on('tap', 'edge.lag', (e) => setExpandedLags((s) => new Set(s).add(data(e, 'lag'))));
    instance.on('tap', 'node.collapsed', (e) =>
      setCollapsed((s) => {
        const next = new Set(s);
        next.delete(data(e, 'group'));
        return next;
      }),
    );
    instance.on('dbltap', 'node.group', (e) => setCollapsed((s) => new Set(s).add(data(e, 'group'))));
    instance.on('dragfree', 'node', () => setDirty(true));
    // cytoscape caches the drawn map as layered textures, which turns a pan or zoom frame into one image copy, but it
    // only starts building them on a frame drawn 250 ms after the last change: ask for one once the map is still.
    // Rescaling the dashes is a style change, which drops those layers, so it waits for a longer stillness.
    let layersTimer: ReturnType<typeof setTimeout> | undefined;
    let dashTimer: ReturnType<typeof setTimeout> | undefined;
    let armed = false;
    const whenStill = () => {
      if (armed) return;
      armed = true;
      instance.one('render', () => {
        armed = false;
        clearTimeout(layersTimer);
        clearTimeout(dashTimer);
        layersTimer = setTimeout(() => instance.destroyed() || instance.forceRender(), 400);
        dashTimer = setTimeout(() => instance.destroyed() || (scaleDashes(instance) && whenStill()), 1200);
      });
    };
    instance.on(`viewport ${BUILT}`, whenStill);
    setCy(instance);
    builtFor.current = '';
    return () => {
      clearTimeout(layersTimer);
      clearTimeout(dashTimer);
      instance.destroy();
      setCy(undefined);
    };
  }, [large, haveData]);

  useEffect(() => {
    cy?.autoungrabify(!can('operator'));
  }, [cy, can]);

  // Rebuilds the elements when the links, devices, layout or a collapsed group change. A new layout choice lays
  // everything out afresh; otherwise nodes keep where they are (dragged or not) and only new ones are placed.
  useEffect(() => {
    // A renderer replaced in this same commit (the map crossed the large-graph size) is built on the next one.
    if (!cy || cy.destroyed() || !model || !box.current) return;
    const layoutKey = `${mode}|${groupBy}|${root ?? ''}|${relayout}`;
    const pos = positions.current;
    if (builtFor.current !== layoutKey) {
      const ids = [...model.nodes.keys()];
      const components = mode === 'saved' ? [] : bfsComponents(ids, model.adjacency, root);
      const fresh =
        mode === 'hierarchical'
          ? hierarchyLayout(components)
          : mode === 'grouped' && groupOf
            ? groupedLayout(components, groupOf)
            : new Map(Object.entries(topo.data?.positions ?? {}).filter(([id]) => model.nodes.has(id)));
      positions.current = fresh;
    } else cy.nodes('.device, .unknown').forEach((n) => void pos.set(n.id(), { ...n.position() }));
    placeNew(model.nodes.keys(), positions.current, model.adjacency);
    const elements = toElements(model, {
      groupOf: mode === 'grouped' ? groupOf : undefined,
      collapsed,
      expandedLags,
      positions: positions.current,
      root,
      noGroup: i18n.t('topo.noGroup'),
      look: (edge) => edgeLook(edge, utilNow.current, i18n),
    });
    const container = box.current;
    container.removeAttribute('data-ready');
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    if (builtFor.current !== layoutKey || fitNext.current) fitBounded(cy);
    fitNext.current = false;
    builtFor.current = layoutKey;
    cy.removeScratch('dashScale');
    scaleDashes(cy);
    cy.emit(BUILT);
    cy.one('render', () => {
      container.dataset.ready = 'true';
      container.dataset.nodes = String(cy.nodes().length);
      container.dataset.edges = String(cy.edges().length);
    });
  }, [cy, model, topo.data, mode, groupBy, groupOf, root, relayout, collapsed, expandedLags, i18n]);

  useEffect(() => {
    if (!cy || cy.destroyed()) return;
    paintEdges(cy, util, i18n);
    cy.emit(BUILT);
  }, [cy, util, i18n, model, mode, collapsed, expandedLags]);

  useEffect(() => {
    if (!cy || cy.destroyed() || !selected) return;
    cy.getElementById(selected.kind === 'link' ? `link:${selected.id}` : selected.id).select();
  }, [cy, selected, model, collapsed, expandedLags]);

  /** Where every node is now, hidden members of collapsed groups included. */
  function currentPositions(): Record<string, Pos> {
    const pos = positions.current;
    cy?.nodes('.device, .unknown').forEach((n) => void pos.set(n.id(), { ...n.position() }));
    return Object.fromEntries(pos);
  }
  async function save() {
    try {
      await api('PUT', '/topology/layout', { positions: currentPositions() });
      setDirty(false);
      setMessage(t('topo.saved'));
      topo.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  async function addLink() {
    try {
      await api('POST', '/topology/links', {
        a: form.a,
        b: form.b,
        ...(form.aIf ? { aIfIndex: Number(form.aIf) } : {}),
      });
      setForm({ a: '', b: '', aIf: '' });
      topo.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  const selectedLink =
    selected?.kind === 'link' ? model?.links.find((s) => s.link.id === selected.id)?.link : undefined;
  async function removeLink() {
    if (!selectedLink) return;
    try {
      await api('DELETE', `/topology/links/${encodeURIComponent(selectedLink.id)}`);
      setSelected(undefined);
      topo.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  function chooseRoot(id: string | undefined) {
    if (id) localStorage.setItem(ROOT_KEY, id);
    else localStorage.removeItem(ROOT_KEY);
    setRoot(id);
  }
  const groups = useMemo(
    () => (model && groupOf ? [...new Set([...model.nodes.keys()].map(groupOf))] : []),
    [model, groupOf],
  );

  const list = [...devices.values()];
  return (
    <div className="page" data-page="topology">
      <div className="page-head">
        <h1>{t('nav.topology')}</h1>
        <span className="muted small">
          <span className="legend-dot" style={{ background: STATE_COLOUR.up }} />
          {t('state.up')}
          <span className="legend-dot" style={{ background: STATE_COLOUR.down }} />
          {t('state.down')}
          <span className="legend-dot" style={{ background: STATE_COLOUR.unknown }} />
          {t('state.unknown')}
          <span className="legend-dot" style={{ background: UNKNOWN_NODE, width: 7, height: 7 }} />
          {t('topo.legend.unknown')}
          <LegendLine style="dashed" />
          {t('topo.legend.manual')}
          <LegendLine style="dotted" />
          {t('topo.legend.oneSided')}
          <LegendLine style="solid" />
          {t('topo.legend.lag')}
        </span>
      </div>
      <div className="row">
        <label className="small muted" htmlFor="topo-layout">
          {t('topo.layoutMode')}
        </label>
        <select
          id="topo-layout"
          value={mode}
          onChange={(e) => setQuery({ layout: e.target.value })}
          data-testid="topology-layout"
        >
          {MODES.map((m) => (
            <option key={m} value={m} disabled={m === 'saved' && !hasSaved}>
              {t(`topo.mode.${m}`)}
            </option>
          ))}
        </select>
        {mode === 'grouped' && (
          <>
            <select
              aria-label={t('topo.groupBy')}
              value={groupBy}
              onChange={(e) => (setCollapsed(new Set()), setQuery({ by: e.target.value }))}
            >
              <option value="group">{t('topo.by.group')}</option>
              <option value="site">{t('topo.by.site')}</option>
            </select>
            <button type="button" onClick={() => ((fitNext.current = true), setCollapsed(new Set(groups)))}>
              {t('topo.collapseAll')}
            </button>
            <button
              type="button"
              onClick={() => ((fitNext.current = true), setCollapsed(new Set()))}
              disabled={collapsed.size === 0}
            >
              {t('topo.expandAll')}
            </button>
          </>
        )}
        {expandedLags.size > 0 && (
          <button type="button" onClick={() => setExpandedLags(new Set())}>
            {t('topo.bundleAll')}
          </button>
        )}
        <button type="button" onClick={() => cy && fitBounded(cy)}>
          {t('topo.fit')}
        </button>
        {model && (
          <span className="muted small">{t('topo.counts', { devices: devices.size, links: model.links.length })}</span>
        )}
        <div className="grow" />
        {can('operator') && (
          <>
            <button type="button" onClick={() => (setRelayout((n) => n + 1), setDirty(true))}>
              {t('topo.layout')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={!dirty}
              onClick={() => void save()}
              data-testid="save-layout"
            >
              {t('topo.save')}
            </button>
          </>
        )}
      </div>
      <p className="muted small">{t('topo.help')}</p>
      {message && !dirty && <div className="ok small">{message}</div>}
      <ErrorLine error={error ?? (topo.error?.missing ? undefined : topo.error)} />
      <div ref={box} className="cy" data-testid="topology" />
      {model && (
        <Details
          selection={selected}
          model={model}
          devices={devices}
          util={util}
          root={root}
          onRoot={chooseRoot}
          onBundle={(key) =>
            setExpandedLags((s) => {
              const next = new Set(s);
              next.delete(key);
              return next;
            })
          }
        />
      )}
      {can('operator') && (
        <Card title={t('topo.addLink')}>
          <div className="row">
            <select aria-label={t('topo.a')} value={form.a} onChange={(e) => setForm({ ...form, a: e.target.value })}>
              <option value="">{t('topo.a')}</option>
              {list.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            <input
              placeholder={t('topo.aIf')}
              value={form.aIf}
              onChange={(e) => setForm({ ...form, aIf: e.target.value.replace(/\D/g, '') })}
              size={24}
            />
            <select aria-label={t('topo.b')} value={form.b} onChange={(e) => setForm({ ...form, b: e.target.value })}>
              <option value="">{t('topo.b')}</option>
              {list.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            <button type="button" onClick={() => void addLink()} disabled={!form.a || !form.b || form.a === form.b}>
              {t('common.add')}
            </button>
            <div className="grow" />
            <button
              type="button"
              className="danger"
              onClick={() => void removeLink()}
              disabled={selectedLink?.origin !== 'manual'}
              title={t('topo.manualOnly')}
            >
              {t('topo.removeLink')}
            </button>
          </div>
        </Card>
      )}
    </div>
  );
}

/** What was clicked: a link's two ports and how it was learned, or a device with its link history. */
function Details(props: {
  selection?: Selection;
  model: MapModel;
  devices: Map<string, DeviceView>;
  util: Map<string, number>;
  root?: string;
  onRoot(id: string | undefined): void;
  onBundle(lagKey: string): void;
}) {
  const { selection, model, devices, util } = props;
  const { t, pct, time, ago } = useI18n();
  const deviceId = selection?.kind === 'device' ? selection.id : undefined;
  const detail = useApi<TopologyResponse>(deviceId ? `/topology?device=${encodeURIComponent(deviceId)}` : null);
  const name = (id?: string) => (id ? (devices.get(id)?.name ?? id) : undefined);
  if (!selection)
    return (
      <Card>
        <p className="muted small">{t('topo.selectHint')}</p>
      </Card>
    );

  if (selection.kind === 'link') {
    const s = model.links.find((m) => m.link.id === selection.id);
    if (!s) return null;
    const l = s.link;
    const end = (device: string | undefined, ifIndex: number | undefined, port: string | undefined) => {
      if (!device || !devices.has(device)) return <span>{port ?? '—'}</span>;
      const at = `/devices/${encodeURIComponent(device)}`;
      return (
        <>
          <Link to={at}>{name(device)}</Link>
          {' · '}
          {ifIndex !== undefined ? (
            <Link to={`${at}?if=${ifIndex}`}>{port ?? `ifIndex ${ifIndex}`}</Link>
          ) : (
            (port ?? '—')
          )}
        </>
      );
    };
    const keys = new Set<string>();
    utilKeys(s, keys, false);
    const u = [...keys].reduce((m, k) => Math.max(m, util.get(k) ?? -1), -1);
    const far = l.b && devices.has(l.b) ? undefined : (l.remote?.name ?? l.b);
    return (
      <Card title={t('topo.link')}>
        <dl className="facts" data-testid="link-details">
          <dt>{t('topo.origin')}</dt>
          <dd>{t(l.origin === 'manual' ? 'topo.origin.manual' : 'topo.origin.discovered')}</dd>
          <dt>{t('topo.endA')}</dt>
          <dd>{end(l.a, l.aIfIndex, l.aPort)}</dd>
          <dt>{t('topo.endB')}</dt>
          <dd>
            {far !== undefined ? (
              <>
                {far} <span className="muted small">({t('topo.legend.unknown')})</span>
                {l.remote?.address && ` · ${l.remote.address}`}
                {` · ${l.bPort ?? '—'}`}
              </>
            ) : (
              end(l.b, l.bIfIndex, l.bPort)
            )}
          </dd>
          {l.via && l.via.length > 0 && (
            <>
              <dt>{t('topo.via')}</dt>
              <dd>{l.via.map((v) => v.toUpperCase()).join(', ')}</dd>
            </>
          )}
          {l.seenFrom && (
            <>
              <dt>{t('topo.seenFrom')}</dt>
              <dd>
                {l.seenFrom === 'both' ? t('topo.seenFrom.both') : t('topo.seenFrom.a', { name: name(l.a) ?? '' })}
              </dd>
            </>
          )}
          {l.aggregate && (
            <>
              <dt>{t('topo.lag')}</dt>
              <dd>
                <button type="button" onClick={() => props.onBundle(lagKey(s))}>
                  {t('topo.bundle')}
                </button>
              </dd>
            </>
          )}
          <dt>{t('topo.utilisation')}</dt>
          <dd>{u >= 0 ? pct(u) : '—'}</dd>
          {l.firstSeen !== undefined && (
            <>
              <dt>{t('topo.firstSeen')}</dt>
              <dd>{time(l.firstSeen)}</dd>
            </>
          )}
          {l.lastSeen !== undefined && (
            <>
              <dt>{t('topo.lastSeen')}</dt>
              <dd>
                {time(l.lastSeen)} ({ago(l.lastSeen)})
              </dd>
            </>
          )}
        </dl>
      </Card>
    );
  }

  const node = model.nodes.get(selection.id);
  if (!node) return null;
  const around = model.links.filter((s) => s.source === node.id || s.target === node.id);
  if (node.kind === 'unknown') {
    const seenBy = [...new Set(around.map((s) => s.source))];
    return (
      <Card title={node.label}>
        <dl className="facts">
          <dt>{t('topo.device')}</dt>
          <dd>{t('topo.legend.unknown')}</dd>
          <dt>{t('devices.address')}</dt>
          <dd>{node.remote?.address ?? '—'}</dd>
          <dt>{t('topo.seenBy')}</dt>
          <dd>
            {seenBy.slice(0, 20).map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                <Link to={`/devices/${encodeURIComponent(id)}`}>{name(id)}</Link>
              </span>
            ))}
          </dd>
        </dl>
      </Card>
    );
  }
  const device = devices.get(node.id);
  const history = detail.data?.history;
  return (
    <div className="grid2">
      <Card
        title={node.label}
        actions={
          <>
            <button
              type="button"
              onClick={() => props.onRoot(props.root === node.id ? undefined : node.id)}
              data-testid="topology-root"
            >
              {t(props.root === node.id ? 'topo.clearRoot' : 'topo.setRoot')}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => navigate(`/devices/${encodeURIComponent(node.id)}`)}
            >
              {t('topo.open')}
            </button>
          </>
        }
      >
        <dl className="facts">
          <dt>{t('devices.address')}</dt>
          <dd>{device?.address ?? '—'}</dd>
          <dt>{t('devices.group')}</dt>
          <dd>{device?.group || '—'}</dd>
          <dt>{t('topo.by.site')}</dt>
          <dd>{device?.site || 'default'}</dd>
          <dt>{t('topo.links')}</dt>
          <dd>{around.length}</dd>
        </dl>
      </Card>
      {Array.isArray(history) && (
        <Card title={t('topo.history')}>
          {history.length === 0 ? (
            <p className="muted small">{t('topo.history.none')}</p>
          ) : (
            <div className="table-wrap" style={{ maxHeight: 320 }}>
              <table className="table" data-testid="link-history">
                <thead>
                  <tr>
                    <th>{t('common.time')}</th>
                    <th>{t('topo.port')}</th>
                    <th>{t('topo.change')}</th>
                    <th>{t('topo.neighbour')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...history]
                    .sort((p, q) => q.ts - p.ts)
                    .slice(0, 100)
                    .map((h) => (
                      <tr key={`${h.ts}|${h.port}|${h.change}|${h.after?.name ?? h.before?.name ?? ''}`}>
                        <td>{time(h.ts)}</td>
                        <td>
                          {h.ifIndex !== undefined ? (
                            <Link to={`/devices/${encodeURIComponent(h.deviceId)}?if=${h.ifIndex}`}>{h.port}</Link>
                          ) : (
                            h.port
                          )}
                        </td>
                        <td>{t(`topo.change.${h.change}`)}</td>
                        <td>
                          {[h.before, h.after]
                            .filter((n) => n !== undefined)
                            .map((n) => `${name(n.deviceId) ?? n.name ?? '?'}${n.port ? ` ${n.port}` : ''}`)
                            .join(' → ')}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
