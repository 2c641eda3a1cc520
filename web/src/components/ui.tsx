import { useMemo, useState, type ReactNode } from 'react';
import type { ApiError } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';

/** What a page shows when there is nothing (yet): no data, or the part behind it is not running. */
export function Empty({ error, children }: { error?: ApiError; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="empty" data-testid="empty">
      {error && !error.missing ? (
        <span className="error">{error.message}</span>
      ) : error?.missing ? (
        t('common.unavailable')
      ) : (
        (children ?? t('common.noData'))
      )}
    </div>
  );
}

export function ErrorLine({ error }: { error?: ApiError | string }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {typeof error === 'string' ? error : error.message}
    </div>
  );
}

export const SEVERITY_ORDER = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useI18n();
  return <span className={`sev sev-${severity}`}>{t(`severity.${severity}` as MessageKey)}</span>;
}

/** up / down / unknown as a coloured dot and word. */
export function StateDot({ state }: { state?: string }) {
  const { t } = useI18n();
  const s = state ?? 'unknown';
  return (
    <span className={`state state-${s}`}>
      <i />
      {t(`state.${s}` as MessageKey)}
    </span>
  );
}

/** A utilisation bar, 0–100 %, turning amber then red. */
export function UtilBar({ pct }: { pct?: number }) {
  const { pct: fmt } = useI18n();
  if (pct === undefined || pct === null) return <span className="muted">—</span>;
  const w = Math.max(0, Math.min(100, pct));
  return (
    <span className="util" title={fmt(pct)}>
      <span className={`bar ${w >= 90 ? 'hot' : w >= 70 ? 'warm' : ''}`} style={{ width: `${w}%` }} />
      <em>{fmt(pct)}</em>
    </span>
  );
}

export function Card({
  title,
  children,
  actions,
  className,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <header>
          <h2>{title}</h2>
          <div className="grow" />
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function Modal({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a backdrop click closes; ✕ is the keyboard way
    <div className="modal-back" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal card" role="dialog" aria-label={title}>
        <header>
          <h2>{title}</h2>
          <div className="grow" />
          <button type="button" className="ghost" onClick={onClose} aria-label="close">
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

export interface Column<T> {
  key: string;
  label: ReactNode;
  render(row: T): ReactNode;
  /** Value to sort by; no sort when absent. */
  sort?(row: T): string | number | undefined;
  className?: string;
}

/**
 * A sortable table. Rows past `limit` are not rendered (with a note), so 2,000 devices do not cost 2,000 DOM rows
 * at first paint; the user narrows with search or raises the limit.
 */
export function Table<T>({
  rows,
  columns,
  rowKey,
  initialSort,
  limit = 500,
  onRow,
  testId,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey(r: T): string;
  initialSort?: string;
  limit?: number;
  onRow?(r: T): void;
  testId?: string;
}) {
  const { t, num } = useI18n();
  const [sort, setSort] = useState<{ key?: string; dir: 1 | -1 }>({ key: initialSort, dir: 1 });
  const [shown, setShown] = useState(limit);
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === sort.key);
    if (!col?.sort) return rows;
    const get = col.sort;
    return [...rows].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === y) return 0;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (
        (typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x).localeCompare(String(y), undefined, { numeric: true })) * sort.dir
      );
    });
  }, [rows, columns, sort]);
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                className={`${c.className ?? ''} ${c.sort ? 'sortable' : ''}`}
                aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}
                onClick={() =>
                  c.sort && setSort((s) => ({ key: c.key, dir: s.key === c.key ? (-s.dir as 1 | -1) : 1 }))
                }
              >
                {c.label}
                {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, shown).map((r) => (
            <tr
              key={rowKey(r)}
              onClick={onRow ? () => onRow(r) : undefined}
              className={onRow ? 'clickable' : undefined}
            >
              {columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > shown && (
        <div className="more">
          {t('common.showing', { shown: num(shown, 0), total: num(sorted.length, 0) })}{' '}
          <button type="button" className="link" onClick={() => setShown((s) => s * 4)}>
            {t('common.showMore')}
          </button>
        </div>
      )}
    </div>
  );
}

export function Tabs<K extends string>({
  tabs,
  value,
  onChange,
}: {
  tabs: { key: K; label: string }[];
  value: K;
  onChange(k: K): void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((tb) => (
        <button
          type="button"
          key={tb.key}
          role="tab"
          aria-selected={tb.key === value}
          className={tb.key === value ? 'tab active' : 'tab'}
          onClick={() => onChange(tb.key)}
        >
          {tb.label}
        </button>
      ))}
    </div>
  );
}
