import { type ReactNode, useMemo, useState } from 'react';
import type { AccessPoint, Radio } from '../../../src/model/wireless.ts';
import { itemsOf, useApi } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import { Link } from '../components/Link.tsx';
import { MetricChart, RangePicker, type RangeKey } from '../components/MetricChart.tsx';
import { Card, Empty, Table, UtilBar, type Column } from '../components/ui.tsx';
import {
  ApStateMark,
  bandLabel,
  type ControllerDetail,
  type ControllerItem,
  controllerPath,
  CountTable,
  duration,
} from './Wireless.tsx';

/** MetricChart asks for at most this many metrics: one line per radio up to it, else one query for them all. */
const CHART_METRICS = 4;

/** One access point: its facts, each radio's channel, power, load and noise, and its clients and radio load over time. */
export function WirelessAp({ controller, ap: apId }: { controller: string; ap: string }) {
  const { t, num, ago, locale } = useI18n();
  const detail = useApi<ControllerDetail>(controllerPath(controller), { refreshMs: 30_000 });
  const list = useApi<unknown>('/wireless', { refreshMs: 60_000 });
  const [range, setRange] = useState<RangeKey>('1d');
  const fmtNum = useMemo(() => (v: number) => num(v, 1), [num]);
  const fmtPct = useMemo(() => (v: number) => `${num(v, 1)}%`, [num]);
  const ctlName = itemsOf<ControllerItem>(list.data).find((c) => c.deviceId === controller)?.name ?? controller;
  const back = (
    <Link to={`/wireless/${encodeURIComponent(controller)}`} className="muted" data-testid="ap-back">
      ← {t('wireless.ap.back', { name: ctlName })}
    </Link>
  );

  if (detail.error && !detail.data)
    return (
      <div className="page" data-page="wireless-ap">
        <div className="page-head">{back}</div>
        <Empty error={detail.error}>{t('common.notFound')}</Empty>
      </div>
    );
  const d = detail.data;
  if (!d) return <div className="muted pad">{t('common.loading')}</div>;
  const ap = d.aps.find((a) => a.id === apId);
  const gone = d.gone.find((g) => g.id === apId);
  if (!ap)
    return (
      <div className="page" data-page="wireless-ap" data-testid="wireless-ap">
        <div className="page-head">{back}</div>
        <h1>{gone?.name ?? apId}</h1>
        <Empty>{gone ? t('wireless.ap.left', { when: ago(gone.lastSeen) }) : t('common.notFound')}</Empty>
      </div>
    );

  const facts: [MessageKey, ReactNode][] = [
    ['wireless.ap.state', <ApStateMark key="s" state={ap.state} raw={ap.stateRaw} />],
    [
      'wireless.ap.id',
      <>
        <code>{ap.id}</code>{' '}
        <span className="muted small">({t(`wireless.idSource.${ap.idSource}` as MessageKey)})</span>
      </>,
    ],
    ['wireless.ap.model', ap.model],
    ['wireless.ap.serial', ap.serial],
    ['wireless.ap.ip', ap.ip && <code>{ap.ip}</code>],
    ['wireless.ap.ethernetMac', ap.ethernetMac && <code>{ap.ethernetMac}</code>],
    ['wireless.ap.baseRadioMac', ap.baseRadioMac && <code>{ap.baseRadioMac}</code>],
    ['wireless.ap.group', ap.group],
    ['wireless.ap.location', ap.location],
    ['wireless.ap.uptime', ap.uptimeS !== undefined && duration(ap.uptimeS, locale)],
    ['wireless.ap.joined', ap.joinedUptimeS !== undefined && duration(ap.joinedUptimeS, locale)],
    ['wireless.clients', ap.clients !== undefined && num(ap.clients, 0)],
    [
      'wireless.ap.controller',
      <Link key="c" to={`/devices/${encodeURIComponent(controller)}`}>
        {ctlName}
      </Link>,
    ],
  ];
  const ssids = Object.entries(ap.ssidClients).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return (
    <div className="page" data-page="wireless-ap" data-testid="wireless-ap">
      <div className="page-head">
        {back}
        <h1 data-testid="ap-name">{ap.name}</h1>
        <ApStateMark state={ap.state} raw={ap.stateRaw} />
        <div className="grow" />
        <span className="muted">
          {t('devices.lastPoll')}: {ago(d.ts)}
        </span>
      </div>
      <div className="grid2">
        <Card title={t('wireless.ap.facts')}>
          <dl className="facts">
            {facts.map(([k, v]) => (
              <FactRow key={k} label={t(k)} value={v} />
            ))}
          </dl>
        </Card>
        <Card title={t('wireless.ap.ssids')}>
          <CountTable rows={ssids} label={t('wireless.ssid')} testId="ap-ssids" />
        </Card>
      </div>
      <Card title={t('wireless.radios', { n: num(ap.radios.length, 0) })}>
        <RadioTable radios={ap.radios} />
      </Card>
      <Card title={t('wireless.ap.charts')} actions={<RangePicker value={range} onChange={setRange} />}>
        <ApCharts controller={controller} ap={ap} range={range} fmtNum={fmtNum} fmtPct={fmtPct} />
      </Card>
    </div>
  );
}

function FactRow({ label, value }: { label: string; value: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value === undefined || value === false || value === '' ? '—' : value}</dd>
    </>
  );
}

function RadioTable({ radios }: { radios: Radio[] }) {
  const { t, num } = useI18n();
  if (!radios.length) return <Empty>{t('wireless.noRadios')}</Empty>;
  const dash = <span className="muted">—</span>;
  const columns: Column<Radio>[] = [
    { key: 'slot', label: t('wireless.radio.slot'), render: (r) => r.slot, sort: (r) => r.slot, className: 'num' },
    { key: 'band', label: t('wireless.radio.band'), render: (r) => bandLabel(r, t), sort: (r) => r.band },
    {
      key: 'channel',
      label: t('wireless.radio.channel'),
      render: (r) => r.channel ?? dash,
      sort: (r) => r.channel,
      className: 'num',
    },
    {
      key: 'tx',
      label: t('wireless.radio.txPower'),
      render: (r) =>
        r.txPowerDbm !== undefined
          ? `${num(r.txPowerDbm, 1)} dBm`
          : r.txPowerLevel !== undefined
            ? t('wireless.radio.level', { n: r.txPowerLevel })
            : dash,
      sort: (r) => r.txPowerDbm,
      className: 'num',
    },
    {
      key: 'util',
      label: t('wireless.radio.util'),
      render: (r) => <UtilBar pct={r.channelUtilPct} />,
      sort: (r) => r.channelUtilPct,
    },
    {
      key: 'noise',
      label: t('wireless.radio.noise'),
      render: (r) => (r.noiseDbm === undefined ? dash : `${num(r.noiseDbm, 0)} dBm`),
      sort: (r) => r.noiseDbm,
      className: 'num',
    },
    {
      key: 'interference',
      label: t('wireless.radio.interference'),
      render: (r) => (r.interferencePct === undefined ? dash : `${num(r.interferencePct, 1)}%`),
      sort: (r) => r.interferencePct,
      className: 'num',
    },
    {
      key: 'clients',
      label: t('wireless.clients'),
      render: (r) => (r.clients === undefined ? dash : num(r.clients, 0)),
      sort: (r) => r.clients,
      className: 'num',
    },
    {
      key: 'state',
      label: t('wireless.radio.state'),
      render: (r) => (
        <>
          <span className={`state state-${r.operState}`}>
            <i />
            {t(`wireless.state.${r.operState}` as MessageKey)}
          </span>
          {r.adminUp === false && <span className="muted small"> · {t('wireless.radio.adminDown')}</span>}
        </>
      ),
      sort: (r) => r.operState,
    },
    { key: 'mac', label: t('wireless.radio.mac'), render: (r) => (r.mac ? <code>{r.mac}</code> : dash) },
  ];
  return <Table rows={radios} columns={columns} rowKey={(r) => String(r.slot)} initialSort="slot" testId="ap-radios" />;
}

/** wlan.ap.clients and each radio's wlan.radio.util.pct, as the device page draws an interface. */
function ApCharts(props: {
  controller: string;
  ap: AccessPoint;
  range: RangeKey;
  fmtNum(v: number): string;
  fmtPct(v: number): string;
}) {
  const { t } = useI18n();
  const { ap } = props;
  const radios = ap.radios.filter((r) => r.channelUtilPct !== undefined);
  const utilMetrics =
    radios.length > 0 && radios.length <= CHART_METRICS
      ? radios.map((r) => ({
          name: 'wlan.radio.util.pct',
          label: `${bandLabel(r, t)} (${t('wireless.radio.slot')} ${r.slot})`,
          labels: { ap: ap.id, slot: String(r.slot) },
        }))
      : [{ name: 'wlan.radio.util.pct', label: t('wireless.radio.util'), labels: { ap: ap.id } }];
  return (
    <div className="grid2">
      <div>
        <h3 className="wl-chart-title">{t('wireless.clients')}</h3>
        <MetricChart
          device={props.controller}
          range={props.range}
          format={props.fmtNum}
          height={180}
          testId="chart-ap-clients"
          metrics={[{ name: 'wlan.ap.clients', label: t('wireless.clients'), labels: { ap: ap.id }, fill: true }]}
        />
      </div>
      <div>
        <h3 className="wl-chart-title">{t('wireless.radio.util')}</h3>
        <MetricChart
          device={props.controller}
          range={props.range}
          format={props.fmtPct}
          height={180}
          testId="chart-ap-util"
          metrics={utilMetrics}
        />
      </div>
    </div>
  );
}
