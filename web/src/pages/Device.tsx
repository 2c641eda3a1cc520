import { lazy, Suspense, useMemo, useState } from 'react';
import { itemsOf, qs, useApi } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import type { I18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import type { DeviceView, InterfaceRow, PortWatch } from '../lib/types.ts';
import { Link } from '../components/Link.tsx';
import { MetricChart, RangePicker, type RangeKey } from '../components/MetricChart.tsx';
import { RecentEvents, RecentLogs, RecentTraps } from '../components/Recent.tsx';
import { Card, Empty, StateDot, Table, UtilBar, type Column } from '../components/ui.tsx';
import type { LatestSample } from './DeviceRmon.tsx';

// Only RMON probes show it, so it loads when one does.
const DeviceRmon = lazy(() => import('./DeviceRmon.tsx').then((m) => ({ default: m.DeviceRmon })));

const OPER: Record<number, string> = {
  1: 'up',
  2: 'down',
  3: 'testing',
  4: 'unknown',
  5: 'dormant',
  6: 'notPresent',
  7: 'lowerLayerDown',
};

function uptime(cs: number | undefined, locale: string): string {
  if (cs === undefined) return '—';
  const s = Math.floor(cs / 100);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return locale === 'ko' ? `${d}일 ${h}시간 ${m}분` : `${d}d ${h}h ${m}m`;
}

/** Why a port is (not) watched, in words: "seen up", "rule core: all ports", "has a description (rule 2)". */
function watchReason(w: PortWatch, t: I18n['t']): string {
  const rule = w.rule ?? '?';
  if (w.reason === 'rule-all' || w.reason === 'rule-none') return t(`device.if.watch.${w.reason}`, { rule });
  const reason = t(`device.if.watch.${w.reason}` as MessageKey);
  // A rule that keeps the default verdict still decided: say which.
  return w.rule ? t('device.if.watch.byRule', { reason, rule }) : reason;
}

/** The Watched cell: yes/no and why; the title says what being watched means. */
function WatchCell({ watch }: { watch?: PortWatch }) {
  const { t } = useI18n();
  if (!watch) return <span className="muted">—</span>;
  return (
    <span
      className={`watch ${watch.watched ? 'watch-yes' : 'watch-no'}`}
      title={t('device.if.watched.help')}
      data-watched={watch.watched ? 'yes' : 'no'}
      data-reason={watch.reason}
    >
      <b>{t(watch.watched ? 'device.if.watched.yes' : 'device.if.watched.no')}</b>{' '}
      <span className="muted small">· {watchReason(watch, t)}</span>
    </span>
  );
}

/** One device: facts, ICMP/CPU/memory charts, live interface table, per-interface traffic chart, recent events/logs/traps. */
export function DevicePage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, bps, pct, ms, num, ago, time, locale } = i18n;
  const { query } = useLocation();
  const dev = useApi<DeviceView>(`/devices/${encodeURIComponent(id)}`, { refreshMs: 15_000 });
  const ifs = useApi<unknown>(`/devices/${encodeURIComponent(id)}/interfaces`, { refreshMs: 15_000 });
  // A device is an RMON probe to the page once its etherStats rows have rates.
  const rmon = useApi<unknown>(`/metrics/latest${qs({ name: 'rmon.bps', device: id })}`, { refreshMs: 60_000 });
  const rmonRows = itemsOf<LatestSample>(rmon.data);
  const [range, setRange] = useState<RangeKey>((query.get('range') as RangeKey) || '1h');
  const [ifRange, setIfRange] = useState<RangeKey>('1d');
  const selected = query.get('if');
  const interfaces = itemsOf<InterfaceRow>(ifs.data, 'interfaces');
  const selIf = interfaces.find((i) => String(i.ifIndex) === selected);
  const fmtPct = useMemo(() => (v: number) => pct(v), [pct]);
  const fmtMs = useMemo(() => (v: number) => ms(v), [ms]);
  const fmtBps = useMemo(() => (v: number) => bps(v), [bps]);
  const fmtNum = useMemo(() => (v: number) => num(v, 2), [num]);

  if (dev.error) return <Empty error={dev.error}>{t('common.notFound')}</Empty>;
  const d = dev.data;
  if (!d) return <div className="muted pad">{t('common.loading')}</div>;
  const sys = d.status?.system ?? {};

  const columns: Column<InterfaceRow>[] = [
    { key: 'ifIndex', label: '#', render: (r) => r.ifIndex, sort: (r) => r.ifIndex, className: 'num' },
    {
      key: 'name',
      label: t('device.if.name'),
      render: (r) => (
        <button
          type="button"
          className="link"
          onClick={() => setQuery({ if: String(r.ifIndex) })}
          data-testid={`if-${r.ifIndex}`}
        >
          {r.name}
        </button>
      ),
      sort: (r) => r.name,
    },
    {
      key: 'alias',
      label: t('device.if.alias'),
      render: (r) => <span className="ellipsis">{r.alias || r.descr || ''}</span>,
      sort: (r) => r.alias,
    },
    {
      key: 'status',
      label: t('device.if.status'),
      render: (r) => (
        <span
          className={`ifstat ifstat-${OPER[r.operStatus ?? 4] ?? 'unknown'}${r.adminStatus === 2 ? ' admin-down' : ''}`}
          title={r.adminStatus === 2 ? t('device.if.adminDown') : undefined}
        >
          {r.adminStatus === 2 ? t('device.if.adminDown') : (OPER[r.operStatus ?? 4] ?? String(r.operStatus))}
        </span>
      ),
      sort: (r) => `${r.adminStatus ?? 9}${r.operStatus ?? 9}`,
    },
    {
      key: 'watched',
      label: <span title={t('device.if.watched.help')}>{t('device.if.watched')}</span>,
      render: (r) => <WatchCell watch={r.watch} />,
      sort: (r) => (r.watch ? `${r.watch.watched ? 0 : 1}${r.watch.reason}` : undefined),
    },
    {
      key: 'speed',
      label: t('device.if.speed'),
      render: (r) => (r.speedBps ? bps(r.speedBps) : '—'),
      sort: (r) => r.speedBps,
      className: 'num',
    },
    { key: 'in', label: t('device.if.in'), render: (r) => bps(r.inBps), sort: (r) => r.inBps ?? -1, className: 'num' },
    {
      key: 'out',
      label: t('device.if.out'),
      render: (r) => bps(r.outBps),
      sort: (r) => r.outBps ?? -1,
      className: 'num',
    },
    {
      key: 'util',
      label: t('device.if.util'),
      render: (r) => (
        <UtilBar
          pct={
            Math.max(r.inUtilPct ?? -1, r.outUtilPct ?? -1) >= 0
              ? Math.max(r.inUtilPct ?? 0, r.outUtilPct ?? 0)
              : undefined
          }
        />
      ),
      sort: (r) => Math.max(r.inUtilPct ?? -1, r.outUtilPct ?? -1),
    },
    {
      key: 'err',
      label: t('device.if.errors'),
      render: (r) =>
        (r.inErrorsPerSec ?? 0) + (r.outErrorsPerSec ?? 0) > 0 ? (
          <span className="bad">{num((r.inErrorsPerSec ?? 0) + (r.outErrorsPerSec ?? 0), 2)}/s</span>
        ) : r.inErrorsPerSec === undefined ? (
          '—'
        ) : (
          '0'
        ),
      sort: (r) => (r.inErrorsPerSec ?? 0) + (r.outErrorsPerSec ?? 0),
      className: 'num',
    },
    {
      key: 'change',
      label: t('device.if.lastChange'),
      render: (r) => ago(r.lastChangeTs),
      sort: (r) => -(r.lastChangeTs ?? 0),
    },
  ];

  return (
    <div className="page" data-page="device">
      <div className="page-head">
        <Link to="/devices" className="muted">
          ← {t('nav.devices')}
        </Link>
        <h1 data-testid="device-name">{d.name}</h1>
        <StateDot state={d.state} />
        <div className="grow" />
        <span className="muted">
          {t('devices.lastPoll')}: {ago(d.status?.lastPollTs)}
        </span>
      </div>
      <div className="grid2">
        <Card title={t('device.facts')}>
          <dl className="facts">
            <dt>{t('devices.address')}</dt>
            <dd>
              <code>{d.address}</code>
            </dd>
            <dt>sysName</dt>
            <dd>{sys.sysName ?? '—'}</dd>
            <dt>{t('devices.vendor')}</dt>
            <dd>{d.vendor ?? sys.vendor ?? '—'}</dd>
            <dt>{t('devices.model')}</dt>
            <dd>{d.model ?? sys.model ?? '—'}</dd>
            <dt>sysDescr</dt>
            <dd className="wrap">{sys.sysDescr ?? '—'}</dd>
            <dt>sysObjectID</dt>
            <dd>
              <code>{sys.sysObjectID ?? '—'}</code>
            </dd>
            <dt>{t('device.uptime')}</dt>
            <dd>{uptime(sys.sysUpTimeCs, locale)}</dd>
            <dt>{t('devices.location')}</dt>
            <dd>{sys.sysLocation || d.location || '—'}</dd>
            <dt>{t('device.contact')}</dt>
            <dd>{sys.sysContact || '—'}</dd>
            <dt>{t('devices.group')}</dt>
            <dd>{d.group ?? '—'}</dd>
            <dt>SNMP</dt>
            <dd>
              {d.snmpVersion ?? '—'} {d.status?.snmpOk === false && <span className="bad">✗ {d.status.snmpError}</span>}
              {d.status?.snmpOk && <span className="ok">✓</span>}
            </dd>
            <dt>ICMP</dt>
            <dd>
              {d.status?.icmpUp === undefined ? (
                '—'
              ) : d.status.icmpUp ? (
                <span className="ok">✓ {ms(d.status.rttAvgMs)}</span>
              ) : (
                <span className="bad">✗</span>
              )}{' '}
              {d.status?.lossPct ? `· ${t('device.loss')} ${pct(d.status.lossPct)}` : ''}
            </dd>
            {d.status?.lastRebootTs && (
              <>
                <dt>{t('device.reboot')}</dt>
                <dd>{time(d.status.lastRebootTs)}</dd>
              </>
            )}
          </dl>
        </Card>
        <Card title={t('device.latency')} actions={<RangePicker value={range} onChange={setRange} />}>
          <MetricChart
            device={id}
            range={range}
            format={fmtMs}
            metrics={[{ name: 'icmp.rtt.avg', label: 'RTT' }]}
            height={150}
            testId="chart-rtt"
          />
          <MetricChart
            device={id}
            range={range}
            format={fmtPct}
            metrics={[{ name: 'icmp.loss.pct', label: t('device.loss'), fill: true }]}
            height={110}
          />
        </Card>
        <Card title={t('device.cpu')}>
          <MetricChart
            device={id}
            range={range}
            format={fmtPct}
            metrics={[{ name: 'cpu.load.pct', label: 'CPU' }]}
            height={170}
          />
        </Card>
        <Card title={t('device.memory')}>
          <MetricChart
            device={id}
            range={range}
            format={fmtPct}
            metrics={[{ name: 'mem.used.pct', label: t('device.memory') }]}
            height={170}
          />
        </Card>
      </div>
      <Card title={`${t('device.interfaces')} (${num(interfaces.length, 0)})`}>
        {interfaces.length ? (
          <Table
            rows={interfaces}
            columns={columns}
            rowKey={(r) => String(r.ifIndex)}
            initialSort="ifIndex"
            limit={200}
            testId="if-table"
          />
        ) : (
          <Empty error={ifs.error} />
        )}
      </Card>
      {selected && (
        <Card
          title={`${t('device.traffic')}: ${selIf?.name ?? `#${selected}`}${selIf?.alias ? ` — ${selIf.alias}` : ''}`}
          actions={
            <>
              <RangePicker value={ifRange} onChange={setIfRange} />
              <button type="button" className="ghost" onClick={() => setQuery({ if: undefined })} aria-label="close">
                ✕
              </button>
            </>
          }
        >
          <div data-testid="if-chart">
            <MetricChart
              device={id}
              range={ifRange}
              format={fmtBps}
              height={220}
              testId="chart-traffic"
              metrics={[
                { name: 'if.in.bps', label: t('device.if.in'), labels: { ifIndex: selected }, fill: true },
                { name: 'if.out.bps', label: t('device.if.out'), labels: { ifIndex: selected } },
              ]}
            />
            <MetricChart
              device={id}
              range={ifRange}
              format={fmtNum}
              height={120}
              metrics={[
                {
                  name: 'if.in.errors.ps',
                  label: `${t('device.if.errors')} ${t('device.if.in')}`,
                  labels: { ifIndex: selected },
                },
                {
                  name: 'if.out.errors.ps',
                  label: `${t('device.if.errors')} ${t('device.if.out')}`,
                  labels: { ifIndex: selected },
                },
              ]}
            />
          </div>
        </Card>
      )}
      {rmonRows.length > 0 && (
        <Suspense fallback={<div className="muted pad">{t('common.loading')}</div>}>
          <DeviceRmon id={id} bps={rmonRows} />
        </Suspense>
      )}
      <div className="grid3">
        <Card title={t('nav.events')}>
          <RecentEvents device={id} />
        </Card>
        <Card title={t('nav.logs')}>
          <RecentLogs device={id} />
        </Card>
        <Card title={t('nav.traps')}>
          <RecentTraps device={id} />
        </Card>
      </div>
    </div>
  );
}
