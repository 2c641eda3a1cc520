import { useMemo } from 'react';
import { itemsOf, qs, useApi } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.ts';
import type { Series } from '../lib/types.ts';
import { align, Chart, type ChartSeries } from './Chart.tsx';
import { Empty } from './ui.tsx';

export const RANGES = [
  { key: '1h', ms: 3_600_000 },
  { key: '6h', ms: 6 * 3_600_000 },
  { key: '1d', ms: 86_400_000 },
  { key: '7d', ms: 7 * 86_400_000 },
  { key: '30d', ms: 30 * 86_400_000 },
  { key: '1y', ms: 365 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];
const PALETTE = ['#2f7ed8', '#e8743b', '#19a979', '#945ecf', '#ed4a7b', '#13a4b4', '#bf399e', '#6c8893'];

/** About 300 points across the range: picks the store's tier on the server side. */
export const stepFor = (rangeMs: number) => Math.max(60, Math.round(rangeMs / 300 / 1000));

/**
 * One chart of one or more metrics of a device over a range, each label set a line.
 * @example <MetricChart device="sw1" metrics={[{ name: 'icmp.rtt.avg', label: 'RTT' }]} range="1d" />
 */
export function MetricChart(props: {
  device: string;
  metrics: { name: string; label: string; labels?: Record<string, string>; fill?: boolean; scale?: number }[];
  range: RangeKey;
  format(v: number): string;
  height?: number;
  testId?: string;
}) {
  const { t } = useI18n();
  const rangeMs = RANGES.find((r) => r.key === props.range)!.ms;
  const step = stepFor(rangeMs);
  const paths = props.metrics.map((m) => {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.labels ?? {})) labels[`label.${k}`] = v;
    return `/metrics${qs({ device: props.device, name: m.name, from: `-${Math.round(rangeMs / 1000)}s`, step, ...labels })}`;
  });
  // One request per metric; fixed count per chart so hooks stay in order.
  const a = useApi<unknown>(paths[0] ?? null, { refreshMs: 60_000 });
  const b = useApi<unknown>(paths[1] ?? null, { refreshMs: 60_000 });
  const c = useApi<unknown>(paths[2] ?? null, { refreshMs: 60_000 });
  const d = useApi<unknown>(paths[3] ?? null, { refreshMs: 60_000 });
  const results = [a, b, c, d].slice(0, props.metrics.length);

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when a response arrives, not per render
  const { x, series } = useMemo(() => {
    const lines: { label: string; points: { ts: number; value: number }[]; fill?: boolean }[] = [];
    results.forEach((r, i) => {
      const m = props.metrics[i];
      const ss = itemsOf<Series>(r.data, 'series');
      for (const s of ss) {
        const extra = Object.entries(s.labels ?? {})
          .filter(([k]) => !(m.labels && k in m.labels))
          .map(([, v]) => v)
          .join(' ');
        lines.push({
          label: extra && ss.length > 1 ? `${m.label} ${extra}` : m.label,
          fill: m.fill,
          points: m.scale ? s.points.map((p) => ({ ts: p.ts, value: p.value * m.scale! })) : s.points,
        });
      }
    });
    const al = align(lines.slice(0, 8).map((l) => l.points));
    const series: ChartSeries[] = lines
      .slice(0, 8)
      .map((l, i) => ({ label: l.label, color: PALETTE[i % PALETTE.length], values: al.values[i], fill: l.fill }));
    return { x: al.x, series };
  }, [a.data, b.data, c.data, d.data]);
  // The window ends when the data was fetched, so the chart is rebuilt with new data, not on every render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const window = useMemo((): [number, number] => [Date.now() - rangeMs, Date.now()], [x, rangeMs]);

  if (!x.length) {
    const missing = results.find((r) => r.error)?.error;
    return <Empty error={missing}>{results.some((r) => r.loading) ? t('common.loading') : t('common.noData')}</Empty>;
  }
  return (
    <Chart x={x} series={series} format={props.format} height={props.height} testId={props.testId} window={window} />
  );
}

export function RangePicker({ value, onChange }: { value: RangeKey; onChange(r: RangeKey): void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: toggle buttons, not a form; a fieldset brings form styling
    <div className="seg" role="group">
      {RANGES.map((r) => (
        <button
          type="button"
          key={r.key}
          className={r.key === value ? 'active' : ''}
          onClick={() => onChange(r.key)}
          data-range={r.key}
        >
          {r.key}
        </button>
      ))}
    </div>
  );
}
