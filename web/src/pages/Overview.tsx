import { useMemo, type ReactNode } from 'react';
import { itemsOf, useApi } from '../lib/api.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import type { EventItem } from '../lib/types.ts';
import type { WirelessController } from '../../../src/model/wireless.ts';
import { Link } from '../components/Link.tsx';
import { Card, Empty, SEVERITY_ORDER, UtilBar } from '../components/ui.tsx';

interface Latest {
  deviceId: string;
  labels: Record<string, string>;
  ts: number;
  value: number;
}
const REFRESH = 15_000;

/** Top N by value, one row per (device, component), largest first. */
function topOf(rows: Latest[] | undefined, n = 10, perDevice = false): Latest[] {
  if (!rows) return [];
  const sorted = [...rows].sort((a, b) => b.value - a.value);
  if (!perDevice) return sorted.slice(0, n);
  const seen = new Set<string>();
  return sorted.filter((r) => !seen.has(r.deviceId) && seen.add(r.deviceId)).slice(0, n);
}

function useLatest(name: string, top = 30) {
  const r = useApi<{ items: Latest[] }>(`/metrics/latest?name=${encodeURIComponent(name)}&top=${top}`, {
    refreshMs: REFRESH,
  });
  return itemsOf<Latest>(r.data);
}

/** Dashboard: reachability, active events, SNMP versions, top interfaces and devices, log and trap rates. Refreshes live. */
export function Overview() {
  const { t, num, ms } = useI18n();
  const devices = useDeviceIndex();
  const stats = useApi<{ total: number; up: number; down: number; unknown: number }>('/stats/devices', {
    refreshMs: REFRESH,
  });
  const versions = useApi<Record<string, number>>('/stats/snmp-versions', { refreshMs: 60_000 });
  // Counted as the console shows them: an incident once, not its children as well.
  const events = useApi<unknown>('/events?state=open&topLevel=true&limit=1000', { refreshMs: REFRESH });
  // Rounded to the minute so the path (and so the request) stays the same between renders.
  const hourAgo = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
  const logs = useApi<unknown>(`/logs/histogram?from=${hourAgo}&bucket=3600000`, { refreshMs: 30_000 });
  const traps = useApi<unknown>(`/traps?from=${hourAgo}&limit=1000`, { refreshMs: 30_000 });
  const inUtil = useLatest('if.in.util.pct');
  const outUtil = useLatest('if.out.util.pct');
  const inErr = useLatest('if.in.errors.ps');
  const outErr = useLatest('if.out.errors.ps');
  const cpu = useLatest('cpu.load.pct', 60);
  const rtt = useLatest('icmp.rtt.avg', 10);
  const wireless = useApi<{ items: WirelessController[] }>('/wireless', { refreshMs: 60_000 });

  const bySeverity = useMemo(() => {
    const c: Record<string, number> = {};
    for (const e of itemsOf<EventItem>(events.data, 'events'))
      if (e.state !== 'cleared') c[e.severity] = (c[e.severity] ?? 0) + 1;
    return c;
  }, [events.data]);

  // Utilisation of an interface is the busier direction.
  const ifUtil = useMemo(() => {
    const m = new Map<string, Latest>();
    for (const r of [...inUtil, ...outUtil]) {
      const k = `${r.deviceId}/${r.labels.ifIndex ?? ''}`;
      if (!m.has(k) || m.get(k)!.value < r.value) m.set(k, r);
    }
    return topOf([...m.values()]);
  }, [inUtil, outUtil]);
  const ifErr = useMemo(() => {
    const m = new Map<string, Latest>();
    for (const r of [...inErr, ...outErr]) {
      const k = `${r.deviceId}/${r.labels.ifIndex ?? ''}`;
      m.set(k, { ...r, value: (m.get(k)?.value ?? 0) + r.value });
    }
    return topOf([...m.values()].filter((r) => r.value > 0));
  }, [inErr, outErr]);

  const name = (id: string) => devices.get(id)?.name ?? id;
  const ifName = (r: Latest) => r.labels.ifName ?? r.labels.name ?? (r.labels.ifIndex ? `#${r.labels.ifIndex}` : '');
  const rate = (x: unknown) => {
    if (!x) return undefined;
    const total = (x as { total?: number }).total;
    const buckets = itemsOf<{ count?: number }>(x, 'buckets', 'histogram');
    const counted =
      buckets.length && buckets[0].count !== undefined ? buckets.reduce((a, b) => a + (b.count ?? 0), 0) : undefined;
    return (total ?? counted ?? itemsOf(x, 'traps').length) / 60;
  };
  const s = stats.data;
  const controllers = itemsOf<WirelessController>(wireless.data);
  const wlan = controllers.reduce(
    (a, c) => ({ up: a.up + c.apsUp, total: a.total + c.apsTotal, clients: a.clients + c.clients }),
    { up: 0, total: 0, clients: 0 },
  );

  return (
    <div className="page" data-page="overview">
      <h1>{t('nav.overview')}</h1>
      <div className="tiles">
        <Link to="/devices?state=up" className="tile ok">
          <b data-testid="count-up">{num(s?.up, 0)}</b>
          <span>{t('state.up')}</span>
        </Link>
        <Link to="/devices?state=down" className="tile bad">
          <b data-testid="count-down">{num(s?.down, 0)}</b>
          <span>{t('state.down')}</span>
        </Link>
        <Link to="/devices?state=unknown" className="tile">
          <b>{num(s?.unknown, 0)}</b>
          <span>{t('state.unknown')}</span>
        </Link>
        {SEVERITY_ORDER.map((sev) => (
          <Link key={sev} to={`/events?severity=${sev}`} className={`tile sevtile sev-${sev}`}>
            <b>{events.error?.missing ? '—' : num(bySeverity[sev] ?? 0, 0)}</b>
            <span>{t(`severity.${sev}` as MessageKey)}</span>
          </Link>
        ))}
        {controllers.length > 0 && (
          <>
            <Link to="/wireless" className={`tile ${wlan.up < wlan.total ? 'wl-tile-partial' : 'ok'}`}>
              <b data-testid="wireless-aps-up">
                {num(wlan.up, 0)}
                <small>/{num(wlan.total, 0)}</small>
              </b>
              <span>{t('overview.wirelessAps')}</span>
            </Link>
            <Link to="/wireless" className="tile wl-tile">
              <b data-testid="wireless-clients">{num(wlan.clients, 0)}</b>
              <span>{t('overview.wirelessClients')}</span>
            </Link>
          </>
        )}
      </div>
      <div className="grid3">
        <Card title={t('overview.versions')}>
          {versions.data ? (
            <div className="kv-row">
              {(['v1', 'v2c', 'v3'] as const).map((v) => (
                <div key={v} className="kv">
                  <span>SNMP {v}</span>
                  <b data-testid={`ver-${v}`}>{num(versions.data?.[v] ?? 0, 0)}</b>
                </div>
              ))}
            </div>
          ) : (
            <Empty error={versions.error} />
          )}
        </Card>
        <Card title={t('overview.rates')}>
          <div className="kv-row">
            <div className="kv">
              <span>{t('overview.logRate')}</span>
              <b>{logs.error ? '—' : num(rate(logs.data), 1)}</b>
            </div>
            <div className="kv">
              <span>{t('overview.trapRate')}</span>
              <b>{traps.error ? '—' : num(rate(traps.data), 1)}</b>
            </div>
          </div>
          <p className="muted small">{t('overview.perMinute')}</p>
        </Card>
        <Card title={t('overview.totalDevices')}>
          <div className="kv-row">
            <div className="kv">
              <span>{t('nav.devices')}</span>
              <b>{num(s?.total, 0)}</b>
            </div>
            <div className="kv">
              <span>{t('overview.openEvents')}</span>
              <b>
                {events.error?.missing
                  ? '—'
                  : num(
                      Object.values(bySeverity).reduce((a, b) => a + b, 0),
                      0,
                    )}
              </b>
            </div>
          </div>
        </Card>
      </div>
      <div className="grid2">
        <Card title={t('overview.topUtil')}>
          <TopList
            rows={ifUtil}
            label={(r) => `${name(r.deviceId)} · ${ifName(r)}`}
            value={(r) => <UtilBar pct={r.value} />}
            link={(r) => `/devices/${encodeURIComponent(r.deviceId)}?if=${r.labels.ifIndex ?? ''}`}
          />
        </Card>
        <Card title={t('overview.topErrors')}>
          <TopList
            rows={ifErr}
            label={(r) => `${name(r.deviceId)} · ${ifName(r)}`}
            value={(r) => `${num(r.value, 2)}/s`}
            link={(r) => `/devices/${encodeURIComponent(r.deviceId)}?if=${r.labels.ifIndex ?? ''}`}
          />
        </Card>
        <Card title={t('overview.topCpu')}>
          <TopList
            rows={topOf(cpu, 10, true)}
            label={(r) => name(r.deviceId)}
            value={(r) => <UtilBar pct={r.value} />}
            link={(r) => `/devices/${encodeURIComponent(r.deviceId)}`}
          />
        </Card>
        <Card title={t('overview.topLatency')}>
          <TopList
            rows={topOf(rtt, 10, true)}
            label={(r) => name(r.deviceId)}
            value={(r) => ms(r.value)}
            link={(r) => `/devices/${encodeURIComponent(r.deviceId)}`}
          />
        </Card>
      </div>
    </div>
  );
}

function TopList({
  rows,
  label,
  value,
  link,
}: {
  rows: Latest[];
  label(r: Latest): string;
  value(r: Latest): ReactNode;
  link(r: Latest): string;
}) {
  if (!rows.length) return <Empty />;
  return (
    <ol className="toplist">
      {rows.map((r) => (
        <li key={`${r.deviceId}/${JSON.stringify(r.labels)}`}>
          <Link to={link(r)}>{label(r)}</Link>
          <span className="grow" />
          {value(r)}
        </li>
      ))}
    </ol>
  );
}
