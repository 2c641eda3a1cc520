import { useEffect, useRef, useState } from 'react';
import { api, type ApiError, itemsOf, qs, useApi } from '../lib/api.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import { Card, Empty, ErrorLine } from '../components/ui.tsx';

interface MibNode {
  oid: string;
  name: string;
  module?: string;
  kind?: string;
  children?: number;
}
interface MibDetails extends MibNode {
  description?: string;
  syntax?: { type: string; tc?: string; enums?: [string, number][]; hint?: string; range?: string; size?: string };
  access?: string;
  status?: string;
  units?: string;
  index?: { name: string }[];
  rowIndex?: { name: string }[];
  table?: { oid: string; name: string };
  aliases?: string[];
}

function TreeNode({
  node,
  selected,
  onSelect,
  depth,
}: {
  node: MibNode;
  selected?: string;
  onSelect(oid: string): void;
  depth: number;
}) {
  const [open, setOpen] = useState(depth < 1 || !!selected?.startsWith(`${node.oid}.`));
  const kids = useApi<unknown>(open ? `/mib/tree${qs({ root: node.oid })}` : null);
  const children = itemsOf<MibNode>(kids.data, 'children', 'nodes').filter((c) => c.oid !== node.oid);
  const leaf = node.children === 0 || (kids.data !== undefined && children.length === 0);
  return (
    <li>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: mouse-only for now */}
      <div className={selected === node.oid ? 'sel' : ''} onClick={() => onSelect(node.oid)} data-oid={node.oid}>
        {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: as above */}
        <span
          className="tw"
          onClick={(e) => {
            e.stopPropagation();
            setOpen(!open);
          }}
        >
          {leaf ? '·' : open ? '▾' : '▸'}
        </span>
        <span>{node.name}</span>
        <span className="muted">({node.oid.split('.').pop()})</span>
        {node.kind && node.kind !== 'node' && <span className="muted small">{node.kind}</span>}
      </div>
      {open && children.length > 0 && (
        <ul>
          {children.map((c) => (
            <TreeNode key={c.oid} node={c} selected={selected} onSelect={onSelect} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** `GET /api/v1/mib/status`. */
interface MibStatus {
  state: 'loading' | 'idle' | 'compiling' | 'failed';
  done: number;
  total: number;
  serving: 'current' | 'previous' | 'builtin' | 'none';
  nodes: number;
  files: number;
  errors: number;
  compiledAt?: number;
  lastError?: { reason: string; at: number };
}

/**
 * The dictionary's compile: progress while it runs (checked every second), why it failed and what answers instead,
 * else a one-line summary. `onSettled` runs when a compile ends, so that the tree and search show the new dictionary.
 */
function CompileStatus({ onSettled }: { onSettled(): void }) {
  const { t, num, pct, ago } = useI18n();
  const [active, setActive] = useState(true);
  const status = useApi<MibStatus>('/mib/status', { refreshMs: active ? 1000 : 15_000 });
  const s = status.data;
  const running = !s || s.state === 'compiling' || s.state === 'loading';
  useEffect(() => setActive(running), [running]);
  const last = useRef<string | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the compile state changes, not on every poll
  useEffect(() => {
    if (s && last.current && last.current !== s.state && !running) onSettled();
    if (s) last.current = s.state;
  }, [s?.state]);
  if (!s) return null;
  const n = (x: number) => num(x, 0);
  if (s.state === 'loading')
    return (
      <div className="muted" data-testid="mib-status" data-state="loading">
        {t('mib.loading')}
      </div>
    );
  if (s.state === 'compiling') {
    const meanwhile = s.serving === 'current' || s.serving === 'previous' ? 'previous' : s.serving;
    return (
      <div
        className="card"
        role="status"
        data-testid="mib-status"
        data-state="compiling"
        style={{ padding: '8px 12px', display: 'flex', flexDirection: 'column', gap: 6 }}
      >
        <div>
          {s.total === 0
            ? t('mib.compilingRead')
            : s.done >= s.total
              ? t('mib.compilingWrite', { total: n(s.total) })
              : t('mib.compiling', { done: n(s.done), total: n(s.total), pct: pct((100 * s.done) / s.total) })}
        </div>
        <progress
          max={s.total || 1}
          value={s.total ? s.done : 0}
          style={{ width: '100%' }}
          aria-label={t('mib.compilingRead')}
        />
        <div className="muted small">{t(`mib.meanwhile.${meanwhile}`, { nodes: n(s.nodes) })}</div>
      </div>
    );
  }
  if (s.state === 'failed') {
    const kept = s.serving === 'current' || s.serving === 'previous' ? 'previous' : s.serving;
    return (
      <div className="error" role="alert" data-testid="mib-status" data-state="failed">
        <div>{t('mib.failed', { reason: s.lastError?.reason ?? '' })}</div>
        <div>{t(`mib.kept.${kept}`, { nodes: n(s.nodes) })}</div>
        <div className="small">{t('mib.failedHint')}</div>
      </div>
    );
  }
  return (
    <div className="muted small" data-testid="mib-status" data-state="idle">
      {t('mib.summary', { nodes: n(s.nodes), files: n(s.files), errors: n(s.errors), when: ago(s.compiledAt) })}
    </div>
  );
}

/** MIB browser: lazily expanded tree, search, object details, and "walk this on a device". */
export function Mib() {
  const { t } = useI18n();
  const { query } = useLocation();
  const selected = query.get('oid') ?? undefined;
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const roots = useApi<unknown>(`/mib/tree${qs({ root: '1.3.6.1' })}`);
  const results = useApi<unknown>(q ? `/mib/search${qs({ q, limit: 100 })}` : null);
  const details = useApi<unknown>(selected ? `/mib/objects/${encodeURIComponent(selected)}` : null);
  const obj = ((details.data as { object?: MibDetails } | undefined)?.object ?? details.data) as MibDetails | undefined;
  const rootChildren = itemsOf<MibNode>(roots.data, 'children', 'nodes');
  const rootNode: MibNode = { oid: '1.3.6.1', name: 'internet', children: rootChildren.length };
  const select = (oid: string) => setQuery({ oid });

  return (
    <div className="page" data-page="mib">
      <div className="page-head">
        <h1>{t('nav.mib')}</h1>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ q: text || undefined });
          }}
        >
          <input
            className="search"
            type="search"
            name="q"
            placeholder={t('mib.search')}
            aria-label={t('mib.search')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit">{t('common.search')}</button>
        </form>
      </div>
      <CompileStatus
        onSettled={() => {
          roots.reload();
          results.reload();
          details.reload();
        }}
      />
      <div className="split">
        <Card title={q ? `${t('common.search')}: ${q}` : t('mib.tree')}>
          {q ? (
            itemsOf<MibNode>(results.data, 'results', 'nodes').length ? (
              <ul className="mini" data-testid="mib-results">
                {itemsOf<MibNode>(results.data, 'results', 'nodes').map((n) => (
                  // biome-ignore lint/a11y/useKeyWithClickEvents: mouse-only for now
                  <li key={`${n.module}::${n.name}`} className="clickable" onClick={() => select(n.oid)}>
                    <span className="mono">
                      {n.module ? `${n.module}::` : ''}
                      {n.name}
                    </span>
                    <span className="grow" />
                    <span className="muted small mono">{n.oid}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty error={results.error} />
            )
          ) : rootChildren.length ? (
            <div className="tree" data-testid="mib-tree">
              <ul>
                <TreeNode node={rootNode} selected={selected} onSelect={select} depth={0} />
              </ul>
            </div>
          ) : (
            <Empty error={roots.error}>{roots.loading ? t('common.loading') : undefined}</Empty>
          )}
        </Card>
        <Card title={t('mib.details')}>
          {obj?.oid ? <ObjectDetails obj={obj} /> : <Empty error={details.error}>{t('mib.pick')}</Empty>}
        </Card>
      </div>
    </div>
  );
}

function ObjectDetails({ obj }: { obj: MibDetails }) {
  const { t } = useI18n();
  const s = obj.syntax;
  return (
    <div data-testid="mib-details">
      <h2 className="mono">
        {obj.module}::{obj.name}
      </h2>
      <dl className="facts">
        <dt>OID</dt>
        <dd className="mono">{obj.oid}</dd>
        {obj.kind && (
          <>
            <dt>kind</dt>
            <dd>{obj.kind}</dd>
          </>
        )}
        {s && (
          <>
            <dt>{t('mib.syntax')}</dt>
            <dd className="mono">
              {s.tc ? `${s.tc} (${s.type})` : s.type}
              {s.range ? ` ${s.range}` : ''}
              {s.size ? ` SIZE ${s.size}` : ''}
              {s.hint ? ` hint "${s.hint}"` : ''}
              {s.enums?.length ? ` { ${s.enums.map(([n, v]) => `${n}(${v})`).join(', ')} }` : ''}
            </dd>
          </>
        )}
        {obj.access && (
          <>
            <dt>{t('mib.access')}</dt>
            <dd>{obj.access}</dd>
          </>
        )}
        {obj.status && (
          <>
            <dt>{t('mib.status')}</dt>
            <dd>{obj.status}</dd>
          </>
        )}
        {obj.units && (
          <>
            <dt>{t('mib.units')}</dt>
            <dd>{obj.units}</dd>
          </>
        )}
        {(obj.index ?? obj.rowIndex)?.length ? (
          <>
            <dt>{t('mib.index')}</dt>
            <dd className="mono">{(obj.index ?? obj.rowIndex)!.map((i) => i.name).join(', ')}</dd>
          </>
        ) : null}
        {obj.table && (
          <>
            <dt>table</dt>
            <dd className="mono">{obj.table.name}</dd>
          </>
        )}
      </dl>
      {obj.description && <p className="wrap small">{obj.description}</p>}
      <Walk oid={obj.oid} />
    </div>
  );
}

/** Walks the object's subtree on a chosen device through the API. */
function Walk({ oid }: { oid: string }) {
  const { t } = useI18n();
  const devices = useDeviceIndex();
  const [device, setDevice] = useState('');
  const [rows, setRows] =
    useState<{ oid: string; name?: string; value?: unknown; formatted?: string; type?: string }[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setRows(undefined), [oid]);
  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<unknown>('GET', `/devices/${encodeURIComponent(device)}/snmp/walk${qs({ oid })}`);
      setRows(itemsOf(r, 'varbinds'));
    } catch (e) {
      setError((e as ApiError).missing ? t('common.unavailable') : (e as ApiError).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <fieldset>
      <legend>{t('mib.walk')}</legend>
      <div className="row">
        <select aria-label={t('events.device')} value={device} onChange={(e) => setDevice(e.target.value)}>
          <option value="">—</option>
          {[...devices.values()].map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void run()} disabled={!device || busy}>
          {t('mib.walkRun')}
        </button>
      </div>
      <ErrorLine error={error} />
      {rows && (
        <div className="table-wrap" style={{ maxHeight: 360 }}>
          <table className="table mono small">
            <tbody>
              {rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one walk's rows, replaced whole by the next walk
                <tr key={i}>
                  <td>{r.name ?? r.oid}</td>
                  <td>{r.formatted ?? String(r.value ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!rows.length && <Empty />}
        </div>
      )}
    </fieldset>
  );
}
