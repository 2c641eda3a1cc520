import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useI18n } from '../lib/i18n.ts';

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
  /** Draw as a filled area (traffic in) rather than a line. */
  fill?: boolean;
}

/**
 * A uPlot time-series chart sized to its container. `x` is in milliseconds.
 * uPlot draws to canvas and stays fast on a year of points, which is why it is used rather than an SVG library.
 */
export function Chart(props: {
  x: number[];
  series: ChartSeries[];
  height?: number;
  format?(v: number): string;
  onZoom?(fromMs: number, toMs: number): void;
  testId?: string /** The time window to show (ms); default: the data's own extent. */;
  window?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { locale } = useI18n();
  const zoom = useRef(props.onZoom);
  zoom.current = props.onZoom;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const axisColor = css.getPropertyValue('--muted').trim() || '#888';
    const gridColor = css.getPropertyValue('--grid').trim() || '#8883';
    const fmt = props.format ?? ((v: number) => String(v));
    const dateFmt = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: props.height ?? 200,
      cursor: { drag: { x: !!zoom.current, y: false, setScale: false } },
      legend: { show: true, live: true },
      // A chosen range (1 h … 1 y) is shown whole, however few points it has so far.
      scales: {
        x: props.window ? { time: true, range: [props.window[0] / 1000, props.window[1] / 1000] } : { time: true },
      },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor },
          size: 70,
          values: (_u, vals) => vals.map((v) => (v === null ? '' : fmt(v))),
        },
      ],
      series: [
        { value: (_u, v) => (v === null ? '—' : dateFmt.format(v * 1000)) },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: s.fill ? `${s.color}33` : undefined,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)),
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (!zoom.current || u.select.width < 5) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(Math.round(from), Math.round(to));
          },
        ],
      },
    };
    const data: uPlot.AlignedData = [props.x.map((t) => t / 1000), ...props.series.map((s) => s.values)];
    plot.current?.destroy();
    plot.current = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: props.height ?? 200 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [props.x, props.series, props.height, locale, props.format, props.window?.[0], props.window?.[1]]);

  return <div ref={box} className="chart" data-testid={props.testId} />;
}

/** Aligns several series of {ts, value} points on one x axis (union of timestamps), for uPlot. */
export function align(series: { ts: number; value: number }[][]): { x: number[]; values: (number | null)[][] } {
  const xs = new Set<number>();
  for (const s of series) for (const p of s) xs.add(p.ts);
  const x = [...xs].sort((a, b) => a - b);
  const pos = new Map(x.map((t, i) => [t, i]));
  const values = series.map((s) => {
    const v: (number | null)[] = new Array(x.length).fill(null);
    for (const p of s) v[pos.get(p.ts)!] = p.value;
    return v;
  });
  return { x, values };
}
