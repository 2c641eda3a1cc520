import { useMemo, useState, type ReactNode } from 'react';
import { itemsOf, qs, useApi } from '../lib/api.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import { useEventStream } from '../lib/sse.ts';
import { SYSLOG_FACILITIES, SYSLOG_SEVERITIES, type LogItem } from '../lib/types.ts';
import { Chart } from '../components/Chart.tsx';
import { Link } from '../components/Link.tsx';
import { Card, Empty } from '../components/ui.tsx';

const SPANS: Record<string, number> = { '15m': 9e5, '1h': 36e5, '6h': 216e5, '1d': 864e5, '7d': 6048e5 };

/** Words of a full-text query to highlight: quoted phrases and bare words, not exclusions or operators. */
export function highlightTerms(q: string): string[] {
  const out: string[] = [];
  for (const m of q.matchAll(/"([^"]+)"|(\S+)/g)) {
    const w = (m[1] ?? m[2] ?? '').replace(/\*$/, '');
    if (!w || w.startsWith('-') || /^(AND|OR|NOT)$/.test(w)) continue;
    out.push(w);
  }
  return out;
}

function Highlight({ text, terms }: { text: string; terms: string[] }): ReactNode {
  if (!terms.length) return text;
  const re = new RegExp(`(${terms.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi');
  // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one string, in a fixed order
  return text.split(re).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}

/** Log search: query box and filters, a histogram that zooms the range when dragged, highlighted matches, live tail. */
export function Logs() {
  const { t, time, num } = useI18n();
  const { query } = useLocation();
  const devices = useDeviceIndex();
  const q = query.get('q') ?? '';
  const span = query.get('span') ?? '1h';
  const host = query.get('host') ?? '';
  const severity = query.get('severity') ?? '';
  const facility = query.get('facility') ?? '';
  const app = query.get('app') ?? '';
  const zoomFrom = query.get('from');
  const zoomTo = query.get('to');
  const [text, setText] = useState(q);
  const [tail, setTail] = useState(false);
  const [tailed, setTailed] = useState<LogItem[]>([]);
  // The range is fixed when the filters change, so pages and histogram agree.
  const range = useMemo(() => {
    const to = zoomTo ? Number(zoomTo) : Date.now();
    return { from: zoomFrom ? Number(zoomFrom) : to - (SPANS[span] ?? 36e5), to };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zoomFrom, zoomTo, span, q, host, severity, facility, app]);
  const filters = { q, host, severity, facility, app, from: range.from, to: range.to };
  const bucketMs = Math.max(1000, Math.round((range.to - range.from) / 120));
  const list = useApi<unknown>(`/logs${qs({ ...filters, limit: 200 })}`);
  const hist = useApi<unknown>(`/logs/histogram${qs({ ...filters, bucket: bucketMs })}`);
  const terms = useMemo(() => highlightTerms(q), [q]);

  useEventStream(tail ? `/logs/stream${qs({ q, host, severity, facility, app })}` : null, (data) => {
    const l = ((data as { log?: LogItem }).log ?? data) as LogItem;
    if (typeof l?.message === 'string') setTailed((xs) => [l, ...xs].slice(0, 500));
  });

  const rows = [...(tail ? tailed : []), ...itemsOf<LogItem>(list.data, 'logs')];
  const buckets = itemsOf<{ ts: number; count: number }>(hist.data, 'buckets', 'histogram').length
    ? itemsOf<{ ts: number; count: number }>(hist.data, 'buckets', 'histogram')
    : itemsOf<{ ts: number; count: number }>((list.data as { histogram?: unknown } | undefined)?.histogram);
  const chart = useMemo(
    () => ({
      x: buckets.map((b) => b.ts),
      series: [{ label: t('nav.logs'), color: '#2f7ed8', values: buckets.map((b) => b.count), fill: true }],
    }),
    [buckets, t],
  );
  const fmtCount = useMemo(() => (v: number) => num(v, 0), [num]);

  return (
    <div className="page" data-page="logs">
      <div className="page-head">
        <h1>{t('nav.logs')}</h1>
        <label className="check">
          <input type="checkbox" checked={tail} onChange={(e) => (setTail(e.target.checked), setTailed([]))} />{' '}
          {t('logs.tail')}
        </label>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: text || undefined, from: undefined, to: undefined });
        }}
      >
        <input
          className="search"
          type="search"
          name="q"
          placeholder={t('logs.query')}
          aria-label={t('logs.query')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <input
          placeholder={t('logs.host')}
          aria-label={t('logs.host')}
          defaultValue={host}
          onBlur={(e) => setQuery({ host: e.target.value || undefined })}
        />
        <select
          aria-label={t('logs.severity')}
          value={severity}
          onChange={(e) => setQuery({ severity: e.target.value || undefined })}
        >
          <option value="">{t('logs.severity')}</option>
          {SYSLOG_SEVERITIES.map((s, i) => (
            <option key={s} value={i}>
              ≤ {i} {s}
            </option>
          ))}
        </select>
        <select
          aria-label={t('logs.facility')}
          value={facility}
          onChange={(e) => setQuery({ facility: e.target.value || undefined })}
        >
          <option value="">{t('logs.facility')}</option>
          {SYSLOG_FACILITIES.map((f, i) => (
            <option key={f} value={i}>
              {f}
            </option>
          ))}
        </select>
        <input
          placeholder={t('logs.app')}
          aria-label={t('logs.app')}
          defaultValue={app}
          onBlur={(e) => setQuery({ app: e.target.value || undefined })}
          size={10}
        />
        <div className="seg">
          {Object.keys(SPANS).map((s) => (
            <button
              type="button"
              key={s}
              className={s === span && !zoomFrom ? 'active' : ''}
              onClick={() => setQuery({ span: s, from: undefined, to: undefined })}
            >
              {s}
            </button>
          ))}
        </div>
        <button className="primary" type="submit">
          {t('common.search')}
        </button>
      </form>
      <Card
        title={`${time(range.from)} – ${time(range.to)}`}
        actions={
          zoomFrom ? (
            <button type="button" className="ghost small" onClick={() => setQuery({ from: undefined, to: undefined })}>
              {t('logs.resetZoom')}
            </button>
          ) : (
            <span className="muted small">{t('logs.histogram')}</span>
          )
        }
      >
        {buckets.length ? (
          <Chart
            x={chart.x}
            series={chart.series}
            height={110}
            format={fmtCount}
            onZoom={(from, to) => setQuery({ from: String(from), to: String(to) })}
            testId="log-histogram"
          />
        ) : (
          <Empty error={hist.error?.missing ? undefined : hist.error} />
        )}
      </Card>
      <Card>
        {rows.length ? (
          <div className="table-wrap">
            <table className="table logs" data-testid="logs-table">
              <thead>
                <tr>
                  <th>{t('common.time')}</th>
                  <th>{t('logs.host')}</th>
                  <th>sev</th>
                  <th>{t('logs.app')}</th>
                  <th>{t('logs.message')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a tailed line may also be on the page
                  <tr key={`${l.id ?? ''}-${i}`}>
                    <td className="muted small nowrap">{time(l.ts)}</td>
                    <td>
                      {l.deviceId ? (
                        <Link to={`/devices/${encodeURIComponent(l.deviceId)}`}>
                          {devices.get(l.deviceId)?.name ?? l.hostname ?? l.sourceAddress}
                        </Link>
                      ) : (
                        (l.hostname ?? l.sourceAddress)
                      )}
                    </td>
                    <td>
                      <span className={`syssev syssev-${l.severity}`}>
                        {SYSLOG_SEVERITIES[l.severity] ?? l.severity}
                      </span>
                    </td>
                    <td className="muted">{l.app ?? ''}</td>
                    <td className="mono wrap">
                      <Highlight text={l.message} terms={terms} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty error={list.error}>{list.loading ? t('common.loading') : t('logs.none')}</Empty>
        )}
      </Card>
    </div>
  );
}
