import { useMemo, useState } from 'react';
import type { AccessPoint, ApState, Radio, WirelessController } from '../../../src/model/wireless.ts';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { type I18n, useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import { navigate, setQuery, useLocation } from '../lib/router.ts';
import { Link } from '../components/Link.tsx';
import { Card, Empty, ErrorLine, Table, type Column } from '../components/ui.tsx';

/** A controller as GET /wireless lists it: its figures, device id and name, and when it was polled. */
export type ControllerItem = WirelessController & { deviceId: string; name: string; ts: number };
/** GET /wireless/controllers/{id}: the last poll's APs, and the APs that left since. */
export interface ControllerDetail {
  deviceId: string;
  ts: number;
  controller: WirelessController;
  aps: AccessPoint[];
  gone: { id: string; name: string; lastSeen: number }[];
}

const REFRESH = 30_000;
export const controllerPath = (id: string) => `/wireless/controllers/${encodeURIComponent(id)}`;
export const apPagePath = (controller: string, ap: string) =>
  `/wireless/${encodeURIComponent(controller)}/aps/${encodeURIComponent(ap)}`;

/** `3d 4h 12m` from seconds; `—` when unknown. */
export function duration(seconds: number | undefined, locale: string): string {
  if (seconds === undefined) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return locale === 'ko' ? `${d}일 ${h}시간 ${m}분` : `${d}d ${h}h ${m}m`;
}

/** The busiest radio's channel utilisation: what an AP sorts by. */
export const maxUtil = (ap: AccessPoint) =>
  ap.radios.reduce<number | undefined>(
    (m, r) => (r.channelUtilPct === undefined ? m : Math.max(m ?? 0, r.channelUtilPct)),
    undefined,
  );

export const bandLabel = (r: Radio, t: I18n['t']) => (r.band === 'unknown' ? t('wireless.band.unknown') : r.band);

/** An AP's state as a coloured dot and word; the vendor's own word in the title. */
export function ApStateMark({ state, raw }: { state: ApState; raw?: string }) {
  const { t } = useI18n();
  return (
    <span className={`state state-${state}`} title={raw} data-state={state}>
      <i />
      {t(`wireless.state.${state}` as MessageKey)}
    </span>
  );
}

const macless = (s: string) => s.toLowerCase().replace(/[:.-]/g, '');

/** Whether an AP matches a search: its name, or any of its MACs, serial or IP (MAC separators ignored). */
export function apMatches(ap: AccessPoint, needle: string): boolean {
  const n = needle.trim().toLowerCase();
  if (!n) return true;
  if (ap.name.toLowerCase().includes(n)) return true;
  const bare = macless(n);
  return [ap.id, ap.ethernetMac, ap.baseRadioMac, ap.serial, ap.ip].some(
    (f) => f !== undefined && (f.toLowerCase().includes(n) || (bare !== '' && macless(f).includes(bare))),
  );
}

/** Wireless: every controller with its figures; the selected one's APs, the APs that left it, clients per SSID. */
export function Wireless({ controller }: { controller?: string }) {
  const { t, num, ago } = useI18n();
  const list = useApi<{ items: ControllerItem[] }>('/wireless', { refreshMs: REFRESH });
  const items = itemsOf<ControllerItem>(list.data);

  const columns: Column<ControllerItem>[] = [
    {
      key: 'name',
      label: t('common.name'),
      render: (c) => (
        <Link
          to={`/wireless/${encodeURIComponent(c.deviceId)}`}
          className={c.deviceId === controller ? 'wl-selected' : undefined}
          data-testid={`controller-${c.deviceId}`}
        >
          {c.name}
        </Link>
      ),
      sort: (c) => c.name.toLowerCase(),
    },
    { key: 'vendor', label: t('wireless.vendor'), render: (c) => c.vendor, sort: (c) => c.vendor },
    {
      key: 'up',
      label: t('wireless.apsUp'),
      render: (c) => <span className="ok">{num(c.apsUp, 0)}</span>,
      sort: (c) => c.apsUp,
      className: 'num',
    },
    {
      key: 'down',
      label: t('wireless.apsDown'),
      render: (c) => <span className={c.apsDown ? 'bad' : 'muted'}>{num(c.apsDown, 0)}</span>,
      sort: (c) => c.apsDown,
      className: 'num',
    },
    {
      key: 'total',
      label: t('wireless.apsTotal'),
      render: (c) => num(c.apsTotal, 0),
      sort: (c) => c.apsTotal,
      className: 'num',
    },
    {
      key: 'clients',
      label: t('wireless.clients'),
      render: (c) => num(c.clients, 0),
      sort: (c) => c.clients,
      className: 'num',
    },
    {
      key: 'rogues',
      label: t('wireless.rogues'),
      render: (c) => (c.rogueAps ? num(c.rogueAps.count, 0) : '—'),
      sort: (c) => c.rogueAps?.count,
      className: 'num',
    },
    { key: 'ts', label: t('devices.lastPoll'), render: (c) => ago(c.ts), sort: (c) => -c.ts },
  ];

  return (
    <div className="page" data-page="wireless" data-testid="wireless">
      <div className="page-head">
        <h1>{t('nav.wireless')}</h1>
        <div className="grow" />
        {list.data && <span className="muted">{t('wireless.count', { n: items.length })}</span>}
      </div>
      <Card title={t('wireless.controllers')}>
        {items.length ? (
          <Table
            rows={items}
            columns={columns}
            rowKey={(c) => c.deviceId}
            initialSort="name"
            onRow={(c) => navigate(`/wireless/${encodeURIComponent(c.deviceId)}`)}
            testId="wireless-controllers"
          />
        ) : list.loading && !list.data ? (
          <div className="muted pad">{t('common.loading')}</div>
        ) : (
          <Empty error={list.error}>{t('wireless.none')}</Empty>
        )}
      </Card>
      {controller ? (
        <ControllerView
          key={controller}
          id={controller}
          name={items.find((c) => c.deviceId === controller)?.name ?? controller}
        />
      ) : (
        items.length > 0 && <p className="muted">{t('wireless.pick')}</p>
      )}
    </div>
  );
}

/** One controller: its figures, its APs (searchable, sortable), the APs that left, clients per SSID and AP group. */
function ControllerView({ id, name }: { id: string; name: string }) {
  const { t, num, ago, time, locale } = useI18n();
  const { can } = useAuth();
  const { query } = useLocation();
  const detail = useApi<ControllerDetail>(controllerPath(id), { refreshMs: REFRESH });
  const [q, setQ] = useState(query.get('q') ?? '');
  const [error, setError] = useState<string>();
  const aps = detail.data?.aps ?? [];
  const rows = useMemo(() => aps.filter((a) => apMatches(a, q)), [aps, q]);

  async function retire(ap: { id: string; name: string }) {
    if (!confirm(t('wireless.confirmRetire', { name: ap.name }))) return;
    setError(undefined);
    try {
      await api('DELETE', `${controllerPath(id)}/aps/${encodeURIComponent(ap.id)}`);
      detail.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }

  const columns: Column<AccessPoint>[] = [
    {
      key: 'state',
      label: t('wireless.ap.state'),
      render: (a) => <ApStateMark state={a.state} raw={a.stateRaw} />,
      sort: (a) => `${a.state === 'up' ? 1 : 0}${a.state}`,
    },
    {
      key: 'name',
      label: t('wireless.ap.name'),
      render: (a) => (
        <Link to={apPagePath(id, a.id)} data-testid="ap-link">
          {a.name}
        </Link>
      ),
      sort: (a) => a.name.toLowerCase(),
    },
    { key: 'id', label: t('wireless.ap.id'), render: (a) => <code>{a.id}</code>, sort: (a) => a.id },
    { key: 'model', label: t('wireless.ap.model'), render: (a) => a.model ?? '—', sort: (a) => a.model },
    {
      key: 'ip',
      label: t('wireless.ap.ip'),
      render: (a) => (a.ip ? <code>{a.ip}</code> : '—'),
      sort: (a) => a.ip?.replace(/\d+/g, (d) => d.padStart(3, '0')),
    },
    { key: 'group', label: t('wireless.ap.group'), render: (a) => a.group ?? '—', sort: (a) => a.group },
    {
      key: 'clients',
      label: t('wireless.clients'),
      render: (a) => (a.clients === undefined ? '—' : num(a.clients, 0)),
      sort: (a) => a.clients,
      className: 'num',
    },
    {
      key: 'radios',
      label: t('wireless.ap.radios'),
      render: (a) => <RadioChips radios={a.radios} />,
      sort: maxUtil,
    },
    {
      key: 'uptime',
      label: t('wireless.ap.uptime'),
      render: (a) =>
        a.uptimeS !== undefined ? (
          duration(a.uptimeS, locale)
        ) : a.joinedUptimeS !== undefined ? (
          <span title={t('wireless.ap.joined')}>
            {duration(a.joinedUptimeS, locale)} <span className="muted small">({t('wireless.ap.joinedShort')})</span>
          </span>
        ) : (
          '—'
        ),
      sort: (a) => a.uptimeS ?? a.joinedUptimeS,
      className: 'num',
    },
  ];

  if (detail.error && !detail.data) return <Empty error={detail.error}>{t('common.notFound')}</Empty>;
  const d = detail.data;
  if (!d) return <div className="muted pad">{t('common.loading')}</div>;
  const c = d.controller;
  const countBy = (m: Record<string, number>) =>
    Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return (
    <>
      <Card
        title={name}
        actions={
          <Link to={`/devices/${encodeURIComponent(id)}`} className="small">
            {t('wireless.devicePage')} →
          </Link>
        }
      >
        <div className="kv-row" data-testid="controller-figures">
          <div className="kv">
            <span>{t('wireless.apsUpTotal')}</span>
            <b>
              {num(c.apsUp, 0)} / {num(c.apsTotal, 0)}
            </b>
          </div>
          <div className="kv">
            <span>{t('wireless.apsDown')}</span>
            <b className={c.apsDown ? 'bad' : undefined}>{num(c.apsDown, 0)}</b>
          </div>
          <div className="kv">
            <span>{t('wireless.clients')}</span>
            <b>{num(c.clients, 0)}</b>
          </div>
          <div className="kv">
            <span>{t('wireless.rogues')}</span>
            <b>{c.rogueAps ? num(c.rogueAps.count, 0) : '—'}</b>
          </div>
          <div className="kv">
            <span>{t('wireless.vendor')}</span>
            <b className="wl-small">{c.vendor}</b>
          </div>
          <div className="kv">
            <span>{t('devices.lastPoll')}</span>
            <b className="wl-small" title={time(d.ts)}>
              {ago(d.ts)}
            </b>
          </div>
        </div>
        <p className="muted small">
          {t('wireless.sources')}: {c.sourceMibs.join(', ')}
        </p>
      </Card>
      <Card
        title={t('wireless.accessPoints', { n: num(aps.length, 0) })}
        actions={
          <>
            {q && (
              <span className="muted small" data-testid="ap-shown">
                {t('wireless.shown', { shown: num(rows.length, 0), total: num(aps.length, 0) })}
              </span>
            )}
            <input
              className="search"
              type="search"
              placeholder={t('wireless.search')}
              aria-label={t('wireless.search')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onBlur={() => setQuery({ q: q || undefined })}
              data-testid="ap-search"
            />
          </>
        }
      >
        {rows.length ? (
          <Table
            rows={rows}
            columns={columns}
            rowKey={(a) => a.id}
            initialSort="name"
            limit={500}
            onRow={(a) => navigate(apPagePath(id, a.id))}
            testId="wireless-aps"
          />
        ) : (
          <Empty>{aps.length ? t('wireless.noMatch') : t('wireless.noAps')}</Empty>
        )}
      </Card>
      {d.gone.length > 0 && (
        <Card title={t('wireless.gone', { n: num(d.gone.length, 0) })}>
          <p className="muted small">{t('wireless.gone.help')}</p>
          <ErrorLine error={error} />
          <Table
            rows={d.gone}
            rowKey={(g) => g.id}
            initialSort="lastSeen"
            testId="wireless-gone"
            columns={[
              { key: 'name', label: t('wireless.ap.name'), render: (g) => g.name, sort: (g) => g.name.toLowerCase() },
              { key: 'id', label: t('wireless.ap.id'), render: (g) => <code>{g.id}</code>, sort: (g) => g.id },
              {
                key: 'lastSeen',
                label: t('wireless.lastSeen'),
                render: (g) => <span title={time(g.lastSeen)}>{ago(g.lastSeen)}</span>,
                sort: (g) => -g.lastSeen,
              },
              {
                key: 'actions',
                label: '',
                className: 'actions',
                render: (g) =>
                  can('operator') ? (
                    <button
                      type="button"
                      className="ghost small danger"
                      onClick={() => void retire(g)}
                      data-testid="ap-retire"
                    >
                      {t('wireless.retire')}
                    </button>
                  ) : null,
              },
            ]}
          />
        </Card>
      )}
      <div className="grid3">
        <Card title={t('wireless.ssids')}>
          <CountTable rows={countBy(c.clientsBySsid)} label={t('wireless.ssid')} testId="wireless-ssids" />
        </Card>
        {Object.keys(c.clientsByApGroup).length > 0 && (
          <Card title={t('wireless.groups')}>
            <CountTable rows={countBy(c.clientsByApGroup)} label={t('wireless.ap.group')} testId="wireless-groups" />
          </Card>
        )}
        {c.rogueAps && c.rogueAps.list.length > 0 && (
          <Card title={t('wireless.rogueList')}>
            <Table
              rows={c.rogueAps.list}
              rowKey={(r) => r.bssid}
              initialSort="rssi"
              columns={[
                { key: 'bssid', label: t('wireless.rogue.bssid'), render: (r) => <code>{r.bssid}</code> },
                { key: 'ssid', label: t('wireless.ssid'), render: (r) => r.ssid ?? '—', sort: (r) => r.ssid },
                {
                  key: 'channel',
                  label: t('wireless.radio.channel'),
                  render: (r) => r.channel ?? '—',
                  sort: (r) => r.channel,
                  className: 'num',
                },
                {
                  key: 'rssi',
                  label: t('wireless.rogue.rssi'),
                  render: (r) => (r.rssiDbm === undefined ? '—' : `${r.rssiDbm} dBm`),
                  sort: (r) => (r.rssiDbm === undefined ? undefined : -r.rssiDbm),
                  className: 'num',
                },
                { key: 'class', label: t('wireless.rogue.class'), render: (r) => r.classification ?? '—' },
              ]}
            />
          </Card>
        )}
      </div>
    </>
  );
}

/** Each radio as `5GHz · ch 36 · 12%`. */
function RadioChips({ radios }: { radios: Radio[] }) {
  const { t, pct } = useI18n();
  if (!radios.length) return <span className="muted">—</span>;
  return (
    <span className="wl-radios">
      {radios.map((r) => (
        <span
          key={r.slot}
          className={`wl-radio${r.operState === 'down' ? ' wl-radio-down' : ''}`}
          title={`${t('wireless.radio.slot')} ${r.slot}`}
        >
          {bandLabel(r, t)}
          {r.channel !== undefined && ` · ${t('wireless.radio.ch', { n: r.channel })}`}
          {r.channelUtilPct !== undefined && (
            <>
              {' · '}
              <b className={r.channelUtilPct >= 70 ? (r.channelUtilPct >= 90 ? 'bad' : 'wl-warm') : undefined}>
                {pct(r.channelUtilPct)}
              </b>
            </>
          )}
        </span>
      ))}
    </span>
  );
}

/** A small name → clients table, largest first. */
export function CountTable({ rows, label, testId }: { rows: [string, number][]; label: string; testId?: string }) {
  const { t, num, pct } = useI18n();
  if (!rows.length) return <Empty />;
  const total = rows.reduce((a, [, n]) => a + n, 0);
  return (
    <Table
      rows={rows}
      rowKey={([k]) => k}
      initialSort="n"
      testId={testId}
      columns={[
        { key: 'k', label, render: ([k]) => k, sort: ([k]) => k },
        {
          key: 'n',
          label: t('wireless.clients'),
          render: ([, n]) => num(n, 0),
          sort: ([, n]) => -n,
          className: 'num',
        },
        {
          key: 'share',
          label: '',
          render: ([, n]) => (
            <span className="wl-share" title={pct(total ? (n / total) * 100 : 0)}>
              <span style={{ width: `${total ? (n / total) * 100 : 0}%` }} />
            </span>
          ),
        },
      ]}
    />
  );
}
