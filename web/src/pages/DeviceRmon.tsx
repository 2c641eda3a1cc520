import { useMemo, useState } from 'react';
import type {
  EtherStatsRow,
  HistoryControlRow,
  RmonAlarmRow,
  RmonEventRow,
  RmonLogEntry,
} from '../../../src/model/rmon.ts';
import { itemsOf, qs, useApi } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import type { Series } from '../lib/types.ts';
import { align, Chart, type ChartSeries } from '../components/Chart.tsx';
import { MetricChart, RANGES, RangePicker, type RangeKey, stepFor } from '../components/MetricChart.tsx';
import { Card, Empty, Table, Tabs, UtilBar, type Column } from '../components/ui.tsx';

/** A latest sample as GET /metrics/latest returns it. */
export interface LatestSample {
  deviceId: string;
  labels: Record<string, string>;
  ts: number;
  value: number;
}

/** GET /devices/{id}/rmon: the probe read live. */
interface ProbeRead {
  etherStats: EtherStatsRow[];
  historyControl: HistoryControlRow[];
  alarms: RmonAlarmRow[];
  events: RmonEventRow[];
  log: RmonLogEntry[];
  truncated: boolean;
}

/** One etherStats row with its latest rates. */
interface StatsRow {
  index: string;
  ifIndex?: string;
  ifName?: string;
  bps?: number;
  pps?: number;
  util?: number;
  errors?: number;
  stats?: EtherStatsRow;
}

/** RMON's size buckets (etherStatsPkts64Octets … 1024to1518Octets), smallest first, and their colours. */
const SIZES = ['64', '65-127', '128-255', '256-511', '512-1023', '1024-1518'] as const;
const SIZE_COLOURS = ['#2f7ed8', '#13a4b4', '#19a979', '#e8c13b', '#e8743b', '#945ecf'];

const rowLabel = (r: Pick<StatsRow, 'index' | 'ifIndex' | 'ifName'>) =>
  r.ifName ?? (r.ifIndex !== undefined ? `ifIndex ${r.ifIndex}` : `#${r.index}`);

/** sysUpTime centiseconds as `3d 4h 12m`. */
function uptimeText(cs: number | undefined, locale: string): string | undefined {
  if (cs === undefined) return undefined;
  const s = Math.floor(cs / 100);
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  return locale === 'ko' ? `${d}일 ${h}시간 ${m}분` : `${d}d ${h}h ${m}m`;
}

function useLatestOf(name: string, device: string) {
  return itemsOf<LatestSample>(useApi<unknown>(`/metrics/latest${qs({ name, device })}`, { refreshMs: 60_000 }).data);
}

/**
 * A device's RMON probe: each etherStats row with its latest rates, the selected row's traffic, packets, utilisation,
 * errors and packet-size charts, and the probe's alarms, events, log and history control as read from it now.
 * `bps` is the device's latest rmon.bps samples, which the device page already asked for to know it is a probe.
 */
export function DeviceRmon({ id, bps }: { id: string; bps: LatestSample[] }) {
  const { t, num, bps: fmtBpsText, pct, ago } = useI18n();
  const pps = useLatestOf('rmon.pps', id);
  const util = useLatestOf('rmon.util.pct', id);
  const errors = useLatestOf('rmon.errors.ps', id);
  const probe = useApi<ProbeRead>(`/devices/${encodeURIComponent(id)}/rmon`);
  // When the answer arrived: the read is live, so its age is worth showing.
  const readAt = useMemo(() => (probe.data ? Date.now() : undefined), [probe.data]);
  const [selected, setSelected] = useState<string>();
  const [range, setRange] = useState<RangeKey>('1d');

  const rows = useMemo(() => {
    const byIndex = new Map<string, StatsRow>();
    const get = (index: string) => {
      let r = byIndex.get(index);
      if (!r) byIndex.set(index, (r = { index }));
      return r;
    };
    const take = (samples: LatestSample[], field: 'bps' | 'pps' | 'util' | 'errors') => {
      for (const s of samples) {
        if (s.labels.index === undefined) continue;
        const r = get(s.labels.index);
        r[field] = s.value;
        r.ifIndex ??= s.labels.ifIndex;
        r.ifName ??= s.labels.ifName;
      }
    };
    take(bps, 'bps');
    take(pps, 'pps');
    take(util, 'util');
    take(errors, 'errors');
    for (const s of probe.data?.etherStats ?? []) {
      const r = get(String(s.index));
      r.stats = s;
      if (s.ifIndex !== undefined) r.ifIndex ??= String(s.ifIndex);
    }
    return [...byIndex.values()].sort((a, b) => Number(a.index) - Number(b.index));
  }, [bps, pps, util, errors, probe.data]);
  const current = rows.find((r) => r.index === selected) ?? rows[0];

  const fmtBps = useMemo(() => (v: number) => fmtBpsText(v), [fmtBpsText]);
  const fmtPps = useMemo(() => (v: number) => `${num(v, 1)}/s`, [num]);
  const fmtPct = useMemo(() => (v: number) => pct(v), [pct]);
  const fmtRate = useMemo(() => (v: number) => `${num(v, 2)}/s`, [num]);

  const columns: Column<StatsRow>[] = [
    { key: 'index', label: '#', render: (r) => r.index, sort: (r) => Number(r.index), className: 'num' },
    {
      key: 'name',
      label: t('rmon.ifIndex'),
      render: (r) => (
        <button
          type="button"
          className="link"
          onClick={() => setSelected(r.index)}
          data-testid={`rmon-row-${r.index}`}
          aria-pressed={r === current}
        >
          {r === current ? <b>{rowLabel(r)}</b> : rowLabel(r)}
        </button>
      ),
      sort: (r) => rowLabel(r),
    },
    { key: 'bps', label: t('rmon.traffic'), render: (r) => fmtBpsText(r.bps), sort: (r) => r.bps, className: 'num' },
    {
      key: 'pps',
      label: t('rmon.pps'),
      render: (r) => (r.pps === undefined ? '—' : fmtPps(r.pps)),
      sort: (r) => r.pps,
      className: 'num',
    },
    { key: 'util', label: t('rmon.util'), render: (r) => <UtilBar pct={r.util} />, sort: (r) => r.util },
    {
      key: 'errors',
      label: t('rmon.errors'),
      render: (r) =>
        r.errors === undefined ? '—' : <span className={r.errors > 0 ? 'bad' : undefined}>{fmtRate(r.errors)}</span>,
      sort: (r) => r.errors,
      className: 'num',
    },
    {
      key: 'owner',
      label: t('rmon.owner'),
      render: (r) => <span className="ellipsis">{r.stats?.owner ?? '—'}</span>,
      sort: (r) => r.stats?.owner,
    },
    { key: 'status', label: t('rmon.status'), render: (r) => r.stats?.status ?? '—', sort: (r) => r.stats?.status },
  ];

  const labels = current ? { index: current.index } : undefined;
  return (
    <section className="rmon" data-testid="rmon">
      <Card title={`${t('rmon.title')} · ${t('rmon.rows', { n: num(rows.length, 0) })}`}>
        {rows.length ? (
          <Table
            rows={rows}
            columns={columns}
            rowKey={(r) => r.index}
            initialSort="index"
            limit={100}
            onRow={(r) => setSelected(r.index)}
            testId="rmon-rows"
          />
        ) : (
          <Empty error={probe.error}>{probe.loading ? t('rmon.reading') : t('common.noData')}</Empty>
        )}
      </Card>
      {current && labels && (
        <Card
          title={t('rmon.charts', { row: `${rowLabel(current)} (#${current.index})` })}
          actions={<RangePicker value={range} onChange={setRange} />}
        >
          <div className="grid2" data-testid="rmon-charts">
            <div>
              <h3 className="wl-chart-title">{t('rmon.traffic')}</h3>
              <MetricChart
                device={id}
                range={range}
                format={fmtBps}
                height={160}
                testId="chart-rmon-bps"
                metrics={[{ name: 'rmon.bps', label: t('rmon.traffic'), labels, fill: true }]}
              />
            </div>
            <div>
              <h3 className="wl-chart-title">{t('rmon.pps')}</h3>
              <MetricChart
                device={id}
                range={range}
                format={fmtPps}
                height={160}
                testId="chart-rmon-pps"
                metrics={[
                  { name: 'rmon.pps', label: t('rmon.pps'), labels, fill: true },
                  { name: 'rmon.bcast.pps', label: t('rmon.bcast'), labels },
                  { name: 'rmon.mcast.pps', label: t('rmon.mcast'), labels },
                ]}
              />
            </div>
            <div>
              <h3 className="wl-chart-title">{t('rmon.util')}</h3>
              <MetricChart
                device={id}
                range={range}
                format={fmtPct}
                height={160}
                testId="chart-rmon-util"
                metrics={[{ name: 'rmon.util.pct', label: t('rmon.util'), labels }]}
              />
            </div>
            <div>
              <h3 className="wl-chart-title">{t('rmon.errors')}</h3>
              <MetricChart
                device={id}
                range={range}
                format={fmtRate}
                height={160}
                testId="chart-rmon-errors"
                metrics={[
                  { name: 'rmon.errors.ps', label: t('rmon.errors'), labels },
                  { name: 'rmon.crc.ps', label: t('rmon.crc'), labels },
                  { name: 'rmon.collisions.ps', label: t('rmon.collisions'), labels },
                  { name: 'rmon.drops.ps', label: t('rmon.drops'), labels },
                ]}
              />
            </div>
          </div>
          <h3 className="wl-chart-title">{t('rmon.sizes')}</h3>
          <SizeShare device={id} index={current.index} format={fmtPps} />
          <SizeChart device={id} index={current.index} range={range} format={fmtPps} />
        </Card>
      )}
      <Card
        title={t('rmon.probe')}
        actions={
          <>
            {readAt && <span className="muted small">{t('rmon.live', { when: ago(readAt) })}</span>}
            <button type="button" className="ghost small" disabled={probe.loading} onClick={probe.reload}>
              {t('common.refresh')}
            </button>
          </>
        }
      >
        {probe.data ? (
          <ProbeTables read={probe.data} />
        ) : (
          <Empty error={probe.error}>{probe.loading ? t('rmon.reading') : t('common.noData')}</Empty>
        )}
      </Card>
    </section>
  );
}

/** The selected row's packet-size mix at the last sample, as one stacked bar. */
function SizeShare({ device, index, format }: { device: string; index: string; format(v: number): string }) {
  const { t, pct } = useI18n();
  const latest = useLatestOf('rmon.size.pps', device).filter((s) => s.labels.index === index);
  const values = SIZES.map((size) => latest.find((s) => s.labels.size === size)?.value ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  if (!latest.length) return null;
  if (!total) return <p className="muted small">{t('rmon.sizes.none')}</p>;
  return (
    <div className="rmon-share" title={t('rmon.sizes.share')} data-testid="rmon-size-share">
      <div className="rmon-share-bar">
        {values.map((v, i) =>
          v > 0 ? (
            <span key={SIZES[i]} style={{ width: `${(v / total) * 100}%`, background: SIZE_COLOURS[i] }} />
          ) : null,
        )}
      </div>
      <div className="rmon-share-legend">
        {SIZES.map((size, i) => (
          <span key={size}>
            <i className="legend-dot" style={{ background: SIZE_COLOURS[i] }} />
            {size}: {pct((values[i] / total) * 100)} ({format(values[i])})
          </span>
        ))}
      </div>
    </div>
  );
}

/** rmon.size.pps of one row over the range, one line per size bucket (the chart component does not stack). */
function SizeChart(props: { device: string; index: string; range: RangeKey; format(v: number): string }) {
  const { t } = useI18n();
  const rangeMs = RANGES.find((r) => r.key === props.range)!.ms;
  const path = `/metrics${qs({
    device: props.device,
    name: 'rmon.size.pps',
    from: `-${Math.round(rangeMs / 1000)}s`,
    step: stepFor(rangeMs),
    'label.index': props.index,
  })}`;
  const r = useApi<unknown>(path, { refreshMs: 60_000 });
  const { x, series } = useMemo(() => {
    const bySize = new Map<string, Series>();
    for (const s of itemsOf<Series>(r.data, 'series')) if (s.labels?.size) bySize.set(s.labels.size, s);
    const present = SIZES.map((size, i) => ({ size, colour: SIZE_COLOURS[i], s: bySize.get(size) })).filter(
      (p) => p.s !== undefined,
    );
    const al = align(present.map((p) => p.s!.points));
    const series: ChartSeries[] = present.map((p, i) => ({
      label: p.size,
      color: p.colour,
      values: al.values[i],
      fill: true,
    }));
    return { x: al.x, series };
  }, [r.data]);
  // The window ends when the data was fetched, as MetricChart's does.
  const window = useMemo((): [number, number] => [Date.now() - rangeMs, Date.now()], [x, rangeMs]);
  if (!x.length) return <Empty error={r.error}>{r.loading ? t('common.loading') : t('common.noData')}</Empty>;
  return <Chart x={x} series={series} format={props.format} height={200} window={window} testId="chart-rmon-sizes" />;
}

type ProbeTab = 'alarms' | 'events' | 'log' | 'history';

/** The probe's alarm, event, log and history-control rows, read only. */
function ProbeTables({ read }: { read: ProbeRead }) {
  const { t, num, locale } = useI18n();
  const [tab, setTab] = useState<ProbeTab>('alarms');
  const dash = <span className="muted">—</span>;
  const opt = (v: string | number | undefined) => (v === undefined || v === '' ? dash : v);
  const uptime = (cs: number | undefined) => uptimeText(cs, locale) ?? '—';

  const alarmColumns: Column<RmonAlarmRow>[] = [
    { key: 'index', label: '#', render: (a) => a.index, sort: (a) => a.index, className: 'num' },
    { key: 'variable', label: t('rmon.alarm.variable'), render: (a) => <code>{opt(a.variable)}</code> },
    {
      key: 'sample',
      label: t('rmon.alarm.sampleType'),
      render: (a) => (a.sampleType ? t(`rmon.sample.${a.sampleType}` as MessageKey) : dash),
      sort: (a) => a.sampleType,
    },
    {
      key: 'interval',
      label: t('rmon.alarm.interval'),
      render: (a) => (a.intervalS === undefined ? dash : `${num(a.intervalS, 0)} s`),
      sort: (a) => a.intervalS,
      className: 'num',
    },
    { key: 'value', label: t('rmon.alarm.value'), render: (a) => opt(a.value), sort: (a) => a.value, className: 'num' },
    {
      key: 'rising',
      label: t('rmon.alarm.rising'),
      render: (a) => opt(a.risingThreshold),
      sort: (a) => a.risingThreshold,
      className: 'num',
    },
    {
      key: 'falling',
      label: t('rmon.alarm.falling'),
      render: (a) => opt(a.fallingThreshold),
      sort: (a) => a.fallingThreshold,
      className: 'num',
    },
    {
      key: 'events',
      label: t('rmon.alarm.events'),
      render: (a) => `${a.risingEventIndex || '—'} / ${a.fallingEventIndex || '—'}`,
    },
    { key: 'owner', label: t('rmon.owner'), render: (a) => opt(a.owner), sort: (a) => a.owner },
    { key: 'status', label: t('rmon.status'), render: (a) => opt(a.status), sort: (a) => a.status },
  ];
  const eventColumns: Column<RmonEventRow>[] = [
    { key: 'index', label: '#', render: (e) => e.index, sort: (e) => e.index, className: 'num' },
    {
      key: 'description',
      label: t('rmon.event.description'),
      render: (e) => <span className="ellipsis">{opt(e.description)}</span>,
      sort: (e) => e.description,
    },
    { key: 'type', label: t('rmon.event.type'), render: (e) => opt(e.type), sort: (e) => e.type },
    { key: 'community', label: t('rmon.event.community'), render: (e) => opt(e.community) },
    {
      key: 'lastSent',
      label: t('rmon.event.lastSent'),
      render: (e) => (e.lastTimeSentCs ? uptime(e.lastTimeSentCs) : <span className="muted">{t('rmon.never')}</span>),
      sort: (e) => (e.lastTimeSentCs ? -e.lastTimeSentCs : undefined),
    },
    { key: 'owner', label: t('rmon.owner'), render: (e) => opt(e.owner), sort: (e) => e.owner },
    { key: 'status', label: t('rmon.status'), render: (e) => opt(e.status), sort: (e) => e.status },
  ];
  const eventText = new Map(read.events.map((e) => [e.index, e.description]));
  const logColumns: Column<RmonLogEntry>[] = [
    { key: 'event', label: t('rmon.log.event'), render: (l) => l.eventIndex, sort: (l) => l.eventIndex },
    { key: 'index', label: t('rmon.log.index'), render: (l) => l.logIndex, sort: (l) => -l.logIndex },
    { key: 'time', label: t('rmon.log.time'), render: (l) => uptime(l.timeCs), sort: (l) => -(l.timeCs ?? 0) },
    {
      key: 'description',
      label: t('rmon.event.description'),
      render: (l) => <span className="ellipsis">{opt(l.description ?? eventText.get(l.eventIndex))}</span>,
    },
  ];
  const historyColumns: Column<HistoryControlRow>[] = [
    { key: 'index', label: '#', render: (h) => h.index, sort: (h) => h.index, className: 'num' },
    {
      key: 'source',
      label: t('rmon.source'),
      render: (h) => (h.ifIndex !== undefined ? `ifIndex ${h.ifIndex}` : <code>{opt(h.dataSource)}</code>),
      sort: (h) => h.ifIndex,
    },
    {
      key: 'interval',
      label: t('rmon.history.interval'),
      render: (h) => (h.intervalS === undefined ? dash : `${num(h.intervalS, 0)} s`),
      sort: (h) => h.intervalS,
      className: 'num',
    },
    {
      key: 'buckets',
      label: t('rmon.history.buckets'),
      render: (h) => `${h.bucketsGranted ?? '—'} / ${h.bucketsRequested ?? '—'}`,
      className: 'num',
    },
    { key: 'owner', label: t('rmon.owner'), render: (h) => opt(h.owner), sort: (h) => h.owner },
    { key: 'status', label: t('rmon.status'), render: (h) => opt(h.status), sort: (h) => h.status },
  ];

  return (
    <div data-testid="rmon-probe">
      {read.truncated && <p className="muted small">{t('rmon.truncated')}</p>}
      <Tabs<ProbeTab>
        value={tab}
        onChange={setTab}
        tabs={[
          { key: 'alarms', label: t('rmon.alarms', { n: num(read.alarms.length, 0) }) },
          { key: 'events', label: t('rmon.events', { n: num(read.events.length, 0) }) },
          { key: 'log', label: t('rmon.log', { n: num(read.log.length, 0) }) },
          { key: 'history', label: t('rmon.history', { n: num(read.historyControl.length, 0) }) },
        ]}
      />
      <div className="rmon-tab">
        {tab === 'alarms' &&
          (read.alarms.length ? (
            <Table
              rows={read.alarms}
              columns={alarmColumns}
              rowKey={(a) => String(a.index)}
              initialSort="index"
              testId="rmon-alarms"
            />
          ) : (
            <Empty>{t('rmon.noAlarms')}</Empty>
          ))}
        {tab === 'events' &&
          (read.events.length ? (
            <Table
              rows={read.events}
              columns={eventColumns}
              rowKey={(e) => String(e.index)}
              initialSort="index"
              limit={200}
              testId="rmon-events"
            />
          ) : (
            <Empty>{t('rmon.noEvents')}</Empty>
          ))}
        {tab === 'log' &&
          (read.log.length ? (
            <Table
              rows={read.log}
              columns={logColumns}
              rowKey={(l) => `${l.eventIndex}.${l.logIndex}`}
              initialSort="time"
              limit={200}
              testId="rmon-log"
            />
          ) : (
            <Empty>{t('rmon.noLog')}</Empty>
          ))}
        {tab === 'history' &&
          (read.historyControl.length ? (
            <Table
              rows={read.historyControl}
              columns={historyColumns}
              rowKey={(h) => String(h.index)}
              initialSort="index"
              testId="rmon-history"
            />
          ) : (
            <Empty>{t('rmon.noHistory')}</Empty>
          ))}
      </div>
    </div>
  );
}
