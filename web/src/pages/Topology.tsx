import cytoscape from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { Card, ErrorLine } from '../components/ui.tsx';

interface Link {
  id: string;
  a: string;
  b: string;
  aIfIndex?: number;
  bIfIndex?: number;
  origin?: string;
}
interface Latest {
  deviceId: string;
  labels: Record<string, string>;
  value: number;
}

const STATE_COLOUR: Record<string, string> = { up: '#16a34a', down: '#dc2626', unknown: '#8a94a6' };
function utilColour(pct: number | undefined): string {
  if (pct === undefined) return '#94a3b8';
  if (pct >= 90) return '#dc2626';
  if (pct >= 70) return '#d97706';
  if (pct >= 30) return '#2563eb';
  return '#16a34a';
}

/** The map: devices coloured by status, links by utilisation; drag to arrange, save the layout, add links by hand. */
export function Topology() {
  const { t, pct } = useI18n();
  const { can } = useAuth();
  const devices = useDeviceIndex();
  const topo = useApi<{ positions: Record<string, { x: number; y: number }>; links: Link[] }>('/topology');
  const inUtil = useApi<unknown>('/metrics/latest?name=if.in.util.pct', { refreshMs: 60_000 });
  const outUtil = useApi<unknown>('/metrics/latest?name=if.out.util.pct', { refreshMs: 60_000 });
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const [dirty, setDirty] = useState(false);
  const [selectedLink, setSelectedLink] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [form, setForm] = useState({ a: '', b: '', aIf: '' });

  const util = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of [...itemsOf<Latest>(inUtil.data), ...itemsOf<Latest>(outUtil.data)]) {
      const k = `${r.deviceId}/${r.labels.ifIndex}`;
      m.set(k, Math.max(m.get(k) ?? 0, r.value));
    }
    return m;
  }, [inUtil.data, outUtil.data]);

  useEffect(() => {
    if (!box.current || !topo.data || devices.size === 0) return;
    const css = getComputedStyle(document.documentElement);
    const text = css.getPropertyValue('--text').trim() || '#222';
    const positions = topo.data.positions ?? {};
    const links = (topo.data.links ?? []).filter((l) => devices.has(l.a) && devices.has(l.b));
    const elements: cytoscape.ElementDefinition[] = [
      ...[...devices.values()].map((d) => ({
        data: { id: d.id, label: d.name, colour: STATE_COLOUR[d.state] ?? STATE_COLOUR.unknown },
        position: positions[d.id],
      })),
      ...links.map((l) => {
        const u = Math.max(
          l.aIfIndex !== undefined ? (util.get(`${l.a}/${l.aIfIndex}`) ?? -1) : -1,
          l.bIfIndex !== undefined ? (util.get(`${l.b}/${l.bIfIndex}`) ?? -1) : -1,
        );
        const known = u >= 0 ? u : undefined;
        return {
          data: {
            id: `link:${l.id}`,
            source: l.a,
            target: l.b,
            colour: utilColour(known),
            width: 2 + (known ?? 0) / 12,
            label: known !== undefined ? pct(known) : '',
          },
        };
      }),
    ];
    const allPlaced = [...devices.keys()].every((id) => positions[id]);
    const instance = cytoscape({
      container: box.current,
      elements,
      wheelSensitivity: 0.3,
      layout: allPlaced ? { name: 'preset' } : devices.size > 300 ? { name: 'grid' } : { name: 'cose', animate: false },
      style: [
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
          },
        },
        {
          selector: 'edge',
          style: {
            'line-color': 'data(colour)',
            width: 'data(width)',
            label: 'data(label)',
            'font-size': 9,
            color: text,
            'curve-style': 'bezier',
          },
        },
        { selector: ':selected', style: { 'border-width': 3, 'border-color': '#2563eb', 'line-style': 'dashed' } },
      ],
    });
    instance.on('dragfree', 'node', () => setDirty(true));
    instance.on('dbltap', 'node', (e) => navigate(`/devices/${encodeURIComponent(e.target.id() as string)}`));
    instance.on('select', 'edge', (e) => setSelectedLink((e.target.id() as string).slice(5)));
    instance.on('unselect', 'edge', () => setSelectedLink(undefined));
    if (!can('operator')) instance.autoungrabify(true);
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
    };
  }, [topo.data, devices, util, can, pct]);

  async function save() {
    if (!cy.current) return;
    const positions: Record<string, { x: number; y: number }> = {};
    cy.current.nodes().forEach((n) => {
      positions[n.id()] = n.position();
    });
    try {
      await api('PUT', '/topology/layout', { positions });
      setDirty(false);
      setMessage(t('topo.saved'));
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
  async function removeLink() {
    if (!selectedLink) return;
    try {
      await api('DELETE', `/topology/links/${encodeURIComponent(selectedLink)}`);
      setSelectedLink(undefined);
      topo.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }

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
        </span>
        <div className="grow" />
        {can('operator') && (
          <>
            <button
              type="button"
              onClick={() =>
                cy.current
                  ?.layout({ name: list.length > 300 ? 'grid' : 'cose', animate: false } as cytoscape.LayoutOptions)
                  .run() && setDirty(true)
              }
            >
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
            <button type="button" className="danger" onClick={() => void removeLink()} disabled={!selectedLink}>
              {t('topo.removeLink')}
            </button>
          </div>
        </Card>
      )}
    </div>
  );
}
