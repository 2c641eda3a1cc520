import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, itemsOf, qs, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import { useEventStream } from '../lib/sse.ts';
import type { EventItem } from '../lib/types.ts';
import { Link } from '../components/Link.tsx';
import { Card, Empty, ErrorLine, SEVERITY_ORDER, SeverityBadge } from '../components/ui.tsx';

interface HistoryEntry {
  ts: number;
  actor: string;
  action: string;
  comment?: string;
  details?: Record<string, unknown>;
}

/** The live console: filters, severity colours, acknowledge with comment, close, history and linked events. */
export function Events() {
  const { t, date, num } = useI18n();
  const { query } = useLocation();
  const devices = useDeviceIndex();
  const state = query.get('state') ?? 'active';
  const severity = query.get('severity') ?? '';
  const source = query.get('source') ?? '';
  const device = query.get('device') ?? '';
  const selectedId = query.get('id');
  const path = `/events${qs({ state: state === 'all' ? undefined : state, severity, source, device, limit: 300 })}`;
  const list = useApi<unknown>(path, { refreshMs: 30_000 });
  const [live, setLive] = useState<Map<string, EventItem>>(new Map());
  useEffect(() => setLive(new Map()), [path, list.data]);

  const connected = useEventStream('/events/stream', (data) => {
    const e = ((data as { event?: EventItem }).event ?? data) as EventItem;
    if (!e?.id) return;
    setLive((m) => new Map(m).set(e.id, e));
  });

  const rows = useMemo(() => {
    const byId = new Map(itemsOf<EventItem>(list.data, 'events').map((e) => [e.id, e]));
    for (const [id, e] of live) byId.set(id, e);
    const sevRank = (s: string) => SEVERITY_ORDER.indexOf(s as never);
    return [...byId.values()]
      .filter((e) => (state === 'active' ? e.state !== 'cleared' : state === 'all' || e.state === state))
      .filter((e) => !severity || sevRank(e.severity) <= sevRank(severity))
      .filter((e) => (!source || e.source === source) && (!device || e.deviceId === device))
      .sort((a, b) => b.lastSeen - a.lastSeen);
  }, [list.data, live, state, severity, source, device]);

  return (
    <div className="page" data-page="events">
      <div className="page-head">
        <h1>{t('nav.events')}</h1>
        <span className="muted small">
          <span className={`livedot ${connected ? 'on' : ''}`} />
          {t('events.live')}: {connected ? t('common.connected') : t('common.disconnected')}
        </span>
      </div>
      <div className="filters">
        <select aria-label={t('events.state')} value={state} onChange={(e) => setQuery({ state: e.target.value })}>
          <option value="active">{`${t('events.state.open')} + ${t('events.state.acknowledged')}`}</option>
          <option value="open">{t('events.state.open')}</option>
          <option value="acknowledged">{t('events.state.acknowledged')}</option>
          <option value="cleared">{t('events.state.cleared')}</option>
          <option value="all">{t('common.all')}</option>
        </select>
        <select aria-label={t('events.severity')} value={severity} onChange={(e) => setQuery({ severity: e.target.value || undefined })}>
          <option value="">{t('events.severity')}: {t('common.all')}</option>
          {SEVERITY_ORDER.map((s) => (
            <option key={s} value={s}>
              ≥ {t(`severity.${s}` as MessageKey)}
            </option>
          ))}
        </select>
        <select aria-label={t('events.source')} value={source} onChange={(e) => setQuery({ source: e.target.value || undefined })}>
          <option value="">{t('events.source')}: {t('common.all')}</option>
          {['icmp', 'snmp', 'threshold', 'trap', 'syslog', 'correlation'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label={t('events.device')} value={device} onChange={(e) => setQuery({ device: e.target.value || undefined })}>
          <option value="">{t('events.device')}: {t('common.all')}</option>
          {[...devices.values()].slice(0, 2000).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <span className="muted">{num(rows.length, 0)}</span>
      </div>
      <div className="split">
        <Card>
          {rows.length ? (
            <div className="table-wrap">
              <table className="table" data-testid="events-table">
                <thead>
                  <tr>
                    <th>{t('events.severity')}</th>
                    <th>{t('events.summary')}</th>
                    <th>{t('events.device')}</th>
                    <th>{t('events.source')}</th>
                    <th className="num">{t('events.count')}</th>
                    <th>{t('events.lastSeen')}</th>
                    <th>{t('events.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, 500).map((e) => (
                    <tr key={e.id} className={`clickable sevrow-${e.severity} st-${e.state} ${e.id === selectedId ? 'selected' : ''}`} onClick={() => setQuery({ id: e.id })} data-event={e.id}>
                      <td>
                        <SeverityBadge severity={e.severity} />
                      </td>
                      <td>
                        {e.summary}
                        {e.inMaintenance && <span className="muted small"> · {t('events.maintenance')}</span>}
                        {e.causes?.length ? <span className="muted small"> · ⛓ {e.causes.length}</span> : null}
                      </td>
                      <td>{e.deviceId ? (devices.get(e.deviceId)?.name ?? e.deviceId) : '—'}</td>
                      <td className="muted">{e.source}</td>
                      <td className="num">{num(e.count, 0)}</td>
                      <td>{date(e.lastSeen)}</td>
                      <td>{t(`events.state.${e.state}` as MessageKey)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty error={list.error}>{list.loading ? t('common.loading') : t('events.none')}</Empty>
          )}
        </Card>
        {selectedId ? <EventDetail id={selectedId} onChanged={(e) => setLive((m) => new Map(m).set(e.id, e))} /> : <Card><Empty>{t('events.select')}</Empty></Card>}
      </div>
    </div>
  );
}

function EventDetail({ id, onChanged }: { id: string; onChanged(e: EventItem): void }) {
  const { t, time, num } = useI18n();
  const { can } = useAuth();
  const devices = useDeviceIndex();
  const r = useApi<Record<string, unknown>>(`/events/${encodeURIComponent(id)}`, { refreshMs: 15_000 });
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const event = (r.data?.event ?? r.data) as EventItem | undefined;
  const history = itemsOf<HistoryEntry>(r.data?.history ?? (r.data?.event as Record<string, unknown> | undefined)?.history);
  const linked = [...itemsOf<EventItem>(r.data?.linked ?? r.data?.causes), ...itemsOf<EventItem>(r.data?.derived)].filter((x) => typeof x === 'object');

  const act = useCallback(
    async (action: 'ack' | 'unack' | 'close') => {
      setBusy(true);
      setError(undefined);
      try {
        const res = await api<Record<string, unknown>>('POST', `/events/${encodeURIComponent(id)}/${action}`, { comment: comment || undefined });
        const e = (res?.event ?? res) as EventItem | undefined;
        if (e?.id) onChanged(e);
        setComment('');
        r.reload();
      } catch (e) {
        setError((e as ApiError).message);
      } finally {
        setBusy(false);
      }
    },
    [id, comment, onChanged, r],
  );

  if (!event?.id) return <Card><Empty error={r.error} /></Card>;
  return (
    <Card title={<><SeverityBadge severity={event.severity} /> {event.summary}</>} className="event-detail">
      <dl className="facts">
        <dt>{t('events.state')}</dt>
        <dd data-testid="event-state">{t(`events.state.${event.state}` as MessageKey)}</dd>
        <dt>{t('events.device')}</dt>
        <dd>{event.deviceId ? <Link to={`/devices/${encodeURIComponent(event.deviceId)}`}>{devices.get(event.deviceId)?.name ?? event.deviceId}</Link> : '—'}</dd>
        {event.component && (
          <>
            <dt>⊂</dt>
            <dd>{event.component}</dd>
          </>
        )}
        <dt>{t('events.source')}</dt>
        <dd>{event.source}</dd>
        <dt>{t('events.count')}</dt>
        <dd>{num(event.count, 0)}</dd>
        <dt>{t('events.firstSeen')}</dt>
        <dd>{time(event.firstSeen)}</dd>
        <dt>{t('events.lastSeen')}</dt>
        <dd>{time(event.lastSeen)}</dd>
        {event.suppressed && (
          <>
            <dt>⊘</dt>
            <dd className="muted">{String(event.suppressed)}</dd>
          </>
        )}
      </dl>
      {event.details && Object.keys(event.details).length > 0 && (
        <details>
          <summary>{t('events.details')}</summary>
          <pre className="mono wrap">{JSON.stringify(event.details, null, 2)}</pre>
        </details>
      )}
      {can('operator') && event.state !== 'cleared' && (
        <div className="form">
          <label>
            {t('events.comment')}
            <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <div className="row">
            {event.state === 'open' && (
              <button className="primary" disabled={busy} onClick={() => void act('ack')} data-testid="ack">
                {t('events.ack')}
              </button>
            )}
            {event.state === 'acknowledged' && (
              <button disabled={busy} onClick={() => void act('unack')}>
                {t('events.unack')}
              </button>
            )}
            <button className="danger" disabled={busy} onClick={() => void act('close')}>
              {t('events.close')}
            </button>
          </div>
          <ErrorLine error={error} />
        </div>
      )}
      <h2 className="pad-top">{t('events.history')}</h2>
      {history.length ? (
        <ul className="mini" data-testid="event-history">
          {history.map((h, i) => (
            <li key={i}>
              <span className="muted small">{time(h.ts)}</span>
              <b>{h.action}</b>
              <span>{h.actor}</span>
              {h.comment && <span className="muted">“{h.comment}”</span>}
            </li>
          ))}
        </ul>
      ) : (
        <Empty />
      )}
      {(linked.length > 0 || (event.causes?.length ?? 0) > 0) && (
        <>
          <h2>{t('events.linked')}</h2>
          <ul className="mini">
            {(linked.length ? linked : (event.causes ?? []).map((c) => ({ id: c, summary: c, severity: 'info' }) as EventItem)).map((l) => (
              <li key={l.id}>
                <SeverityBadge severity={l.severity} />
                <Link to={`/events?id=${encodeURIComponent(l.id)}`}>{l.summary}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
