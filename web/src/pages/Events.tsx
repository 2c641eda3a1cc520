import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { api, type ApiError, itemsOf, qs, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { detailNum, eventSummary, isIncident } from '../lib/event-text.ts';
import { useI18n } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import { useEventStream } from '../lib/sse.ts';
import { FLAPPING_RULE, type EventItem } from '../lib/types.ts';
import { Link } from '../components/Link.tsx';
import { Card, Empty, ErrorLine, SEVERITY_ORDER, SeverityBadge } from '../components/ui.tsx';

interface HistoryEntry {
  ts: number;
  actor: string;
  action: string;
  comment?: string;
  details?: Record<string, unknown>;
}

/** Sources the filter offers; 'incident' lists the incidents alone. */
const SOURCES = ['icmp', 'snmp', 'threshold', 'trap', 'syslog', 'correlation', 'incident'];

const isFlapping = (e: EventItem) => e.ruleId === FLAPPING_RULE;

/** Why an event's notifications are held back, as a message key and the event that holds it back. */
function heldBack(suppressed: string | undefined): { key: MessageKey; ref?: string; reason: string } | undefined {
  if (!suppressed) return undefined;
  const i = suppressed.indexOf(':');
  const kind = i < 0 ? suppressed : suppressed.slice(0, i);
  const ref = i < 0 ? undefined : suppressed.slice(i + 1) || undefined;
  if (kind === 'incident' || kind === 'flapping' || kind === 'dependency' || kind === 'correlation')
    return { key: `events.heldBack.${kind}`, ref, reason: suppressed };
  return { key: 'events.heldBack.other', reason: suppressed };
}

/** The marks an event row carries: incident (with its counts), flapping, maintenance, causes, held back. */
function Marks({ e, hideIncidentHold }: { e: EventItem; hideIncidentHold?: boolean }) {
  const { t, num } = useI18n();
  const held = heldBack(e.suppressed);
  return (
    <>
      {isFlapping(e) && (
        <span
          className="mark mark-flapping"
          data-testid="flapping-mark"
          title={t('events.flapping.help', {
            changes: num(detailNum(e, 'changes'), 0),
            windowM: num(detailNum(e, 'windowM'), 0),
          })}
        >
          {t('events.flapping')}
        </span>
      )}
      {e.inMaintenance && <span className="muted small"> · {t('events.maintenance')}</span>}
      {e.causes?.length ? <span className="muted small"> · ⛓ {e.causes.length}</span> : null}
      {held && !(hideIncidentHold && held.key === 'events.heldBack.incident') && (
        <span className="muted small held" data-testid="held-back" title={held.reason}>
          {' '}
          · {t(held.key, { reason: held.reason })}
        </span>
      )}
    </>
  );
}

/** The live console: filters, severity colours, incidents with their children, acknowledge with comment, close, history and linked events. */
export function Events() {
  const { t, date, num } = useI18n();
  const { can } = useAuth();
  const { query } = useLocation();
  const devices = useDeviceIndex();
  const state = query.get('state') ?? 'active';
  const severity = query.get('severity') ?? '';
  const source = query.get('source') ?? '';
  const device = query.get('device') ?? '';
  // By default the console shows each incident once (its children under it); flat=1 lists every event.
  const topLevel = query.get('flat') !== '1';
  const selectedId = query.get('id');
  const path = `/events${qs({ state: state === 'all' ? undefined : state, severity, source, device, topLevel: topLevel ? 'true' : undefined, limit: 300 })}`;
  const list = useApi<unknown>(path, { refreshMs: 30_000 });
  const [live, setLive] = useState<Map<string, EventItem>>(new Map());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [rowError, setRowError] = useState<string>();
  // When streamed changes arrived: a fresh list replaces them, except those of the last seconds, which the store
  // (written behind) may not hold yet, such as a child just attached to its incident.
  const received = useRef(new Map<string, number>());
  useEffect(() => {
    const since = Date.now() - 5_000;
    for (const [id, at] of received.current) if (at < since) received.current.delete(id);
    setLive((m) => new Map([...m].filter(([id]) => received.current.has(id))));
  }, [path, list.data]);

  const connected = useEventStream('/events/stream', (data) => {
    const e = ((data as { event?: EventItem }).event ?? data) as EventItem;
    if (!e?.id) return;
    received.current.set(e.id, Date.now());
    setLive((m) => new Map(m).set(e.id, e));
  });
  const changed = useCallback((e: EventItem) => {
    received.current.set(e.id, Date.now());
    setLive((m) => new Map(m).set(e.id, e));
  }, []);

  const rows = useMemo(() => {
    const byId = new Map(itemsOf<EventItem>(list.data, 'events').map((e) => [e.id, e]));
    for (const [id, e] of live) byId.set(id, e);
    const sevRank = (s: string) => SEVERITY_ORDER.indexOf(s as never);
    return (
      [...byId.values()]
        .filter((e) => (state === 'active' ? e.state !== 'cleared' : state === 'all' || e.state === state))
        .filter((e) => !severity || sevRank(e.severity) <= sevRank(severity))
        .filter((e) => (!source || e.source === source) && (!device || e.deviceId === device))
        // A child attached to its incident while shown (it arrives live with incidentId) leaves the top level.
        .filter((e) => !topLevel || !e.incidentId)
        .sort((a, b) => b.lastSeen - a.lastSeen)
    );
  }, [list.data, live, state, severity, source, device, topLevel]);

  const toggle = (id: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (!n.delete(id)) n.add(id);
      return n;
    });

  const quickAck = async (ev: MouseEvent, e: EventItem) => {
    ev.stopPropagation();
    setRowError(undefined);
    try {
      const res = await api<Record<string, unknown>>('POST', `/events/${encodeURIComponent(e.id)}/ack`, {});
      const updated = (res?.event ?? res) as EventItem | undefined;
      if (updated?.id) changed(updated);
    } catch (err) {
      setRowError((err as ApiError).message);
    }
  };

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
        <select
          aria-label={t('events.severity')}
          value={severity}
          onChange={(e) => setQuery({ severity: e.target.value || undefined })}
        >
          <option value="">
            {t('events.severity')}: {t('common.all')}
          </option>
          {SEVERITY_ORDER.map((s) => (
            <option key={s} value={s}>
              ≥ {t(`severity.${s}` as MessageKey)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('events.source')}
          value={source}
          onChange={(e) => setQuery({ source: e.target.value || undefined })}
          data-testid="source-filter"
        >
          <option value="">
            {t('events.source')}: {t('common.all')}
          </option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {s === 'incident' ? `${s} (${t('events.incident')})` : s}
            </option>
          ))}
        </select>
        <select
          aria-label={t('events.device')}
          value={device}
          onChange={(e) => setQuery({ device: e.target.value || undefined })}
        >
          <option value="">
            {t('events.device')}: {t('common.all')}
          </option>
          {[...devices.values()].slice(0, 2000).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={!topLevel}
            onChange={(e) => setQuery({ flat: e.target.checked ? '1' : undefined })}
            data-testid="show-children"
          />
          {t('events.showChildren')}
        </label>
        <span className="muted">{num(rows.length, 0)}</span>
      </div>
      <ErrorLine error={rowError} />
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
                  {rows.slice(0, 500).map((e) => {
                    const incident = isIncident(e);
                    const open = incident && expanded.has(e.id);
                    return (
                      <Fragment key={e.id}>
                        <tr
                          className={`clickable sevrow-${e.severity} st-${e.state} ${e.id === selectedId ? 'selected' : ''} ${incident ? 'incident-row' : ''}`}
                          onClick={() => setQuery({ id: e.id })}
                          data-event={e.id}
                          data-incident-row={incident ? e.id : undefined}
                        >
                          <td>
                            <SeverityBadge severity={e.severity} />
                          </td>
                          <td>
                            {incident && (
                              <>
                                <button
                                  type="button"
                                  className="link expander"
                                  aria-expanded={open}
                                  aria-label={t(open ? 'events.incident.collapse' : 'events.incident.expand')}
                                  title={t(open ? 'events.incident.collapse' : 'events.incident.expand')}
                                  data-testid="incident-expand"
                                  onClick={(ev) => {
                                    ev.stopPropagation();
                                    toggle(e.id);
                                  }}
                                >
                                  {open ? '▾' : '▸'}
                                </button>{' '}
                                <span
                                  className="mark mark-incident"
                                  data-testid="incident-mark"
                                  title={t('events.incident.help')}
                                >
                                  {t('events.incident')}
                                </span>{' '}
                              </>
                            )}
                            {eventSummary(e, t)}
                            {incident && (
                              <span className="muted small" data-testid="incident-count">
                                {' '}
                                ·{' '}
                                {t('events.incident.count', {
                                  active: num(detailNum(e, 'active'), 0),
                                  children: num(detailNum(e, 'children'), 0),
                                })}
                              </span>
                            )}
                            <Marks e={e} />
                          </td>
                          <td>{e.deviceId ? (devices.get(e.deviceId)?.name ?? e.deviceId) : '—'}</td>
                          <td className="muted">{e.source}</td>
                          <td className="num">{num(e.count, 0)}</td>
                          <td>{date(e.lastSeen)}</td>
                          <td>
                            {t(`events.state.${e.state}` as MessageKey)}
                            {incident && e.state === 'open' && can('operator') && (
                              <>
                                {' '}
                                <button
                                  type="button"
                                  className="small"
                                  onClick={(ev) => void quickAck(ev, e)}
                                  data-testid="incident-ack"
                                >
                                  {t('events.ack')}
                                </button>
                              </>
                            )}
                          </td>
                        </tr>
                        {open && <IncidentChildRows incident={e} live={live} selectedId={selectedId} />}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty error={list.error}>{list.loading ? t('common.loading') : t('events.none')}</Empty>
          )}
        </Card>
        {selectedId ? (
          <EventDetail id={selectedId} live={live} onChanged={changed} />
        ) : (
          <Card>
            <Empty>{t('events.select')}</Empty>
          </Card>
        )}
      </div>
    </div>
  );
}

/** The children of an expanded incident, as rows under it: fetched with ?incident=, kept current by the live stream. */
function IncidentChildRows({
  incident,
  live,
  selectedId,
}: {
  incident: EventItem;
  live: ReadonlyMap<string, EventItem>;
  selectedId: string | null;
}) {
  const { t, date, num } = useI18n();
  const devices = useDeviceIndex();
  const r = useApi<unknown>(`/events${qs({ incident: incident.id, limit: 1000 })}`, { refreshMs: 30_000 });
  // New children or cleared ones change the incident's counts: fetch again then.
  const counts = `${detailNum(incident, 'children')}/${detailNum(incident, 'active')}/${incident.state}`;
  const seen = useRef(counts);
  const { reload } = r;
  useEffect(() => {
    if (seen.current === counts) return;
    seen.current = counts;
    reload();
  }, [counts, reload]);
  const children = useMemo(() => {
    const byId = new Map(itemsOf<EventItem>(r.data, 'events').map((e) => [e.id, e]));
    for (const [id, e] of live) if (e.incidentId === incident.id || byId.has(id)) byId.set(id, e);
    return [...byId.values()].filter((e) => e.incidentId === incident.id).sort((a, b) => b.lastSeen - a.lastSeen);
  }, [r.data, live, incident.id]);
  if (!children.length) {
    return (
      <tr className="child-row">
        <td />
        <td colSpan={6} className="muted small">
          {r.loading ? t('common.loading') : r.error ? r.error.message : t('events.incident.noChildren')}
        </td>
      </tr>
    );
  }
  return (
    <>
      {children.map((c) => (
        <tr
          key={c.id}
          className={`clickable child-row sevrow-${c.severity} st-${c.state} ${c.id === selectedId ? 'selected' : ''}`}
          onClick={() => setQuery({ id: c.id })}
          data-child={c.id}
          data-incident={incident.id}
        >
          <td>
            <SeverityBadge severity={c.severity} />
          </td>
          <td className="child-summary">
            <span className="muted">↳ </span>
            {c.summary}
            <Marks e={c} hideIncidentHold />
          </td>
          <td>{c.deviceId ? (devices.get(c.deviceId)?.name ?? c.deviceId) : '—'}</td>
          <td className="muted">{c.source}</td>
          <td className="num">{num(c.count, 0)}</td>
          <td>{date(c.lastSeen)}</td>
          <td>{t(`events.state.${c.state}` as MessageKey)}</td>
        </tr>
      ))}
    </>
  );
}

function EventDetail({
  id,
  live,
  onChanged,
}: {
  id: string;
  live: ReadonlyMap<string, EventItem>;
  onChanged(e: EventItem): void;
}) {
  const { t, time, num } = useI18n();
  const { can } = useAuth();
  const devices = useDeviceIndex();
  const r = useApi<Record<string, unknown>>(`/events/${encodeURIComponent(id)}`, { refreshMs: 15_000 });
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const event = (r.data?.event ?? r.data) as EventItem | undefined;
  const history = itemsOf<HistoryEntry>(
    r.data?.history ?? (r.data?.event as Record<string, unknown> | undefined)?.history,
  );
  const linked = [
    ...itemsOf<EventItem>(r.data?.linked ?? r.data?.causes),
    ...itemsOf<EventItem>(r.data?.derived),
  ].filter((x) => typeof x === 'object');
  // An incident's children, kept current by the live stream between fetches.
  const fetchedChildren = itemsOf<EventItem>(r.data?.children);
  const children = useMemo(() => {
    const byId = new Map(fetchedChildren.map((c) => [c.id, c]));
    for (const [cid, c] of live) if (c.incidentId === id || byId.has(cid)) byId.set(cid, c);
    return [...byId.values()].filter((c) => c.incidentId === id).sort((a, b) => b.lastSeen - a.lastSeen);
  }, [fetchedChildren, live, id]);
  const { reload } = r;
  // The incident's acknowledgement changes its children: fetch them again once the stream has told us.
  const liveSelf = live.get(id);
  useEffect(() => {
    if (liveSelf) reload();
  }, [liveSelf, reload]);

  const act = useCallback(
    async (action: 'ack' | 'unack' | 'close') => {
      setBusy(true);
      setError(undefined);
      try {
        const res = await api<Record<string, unknown>>('POST', `/events/${encodeURIComponent(id)}/${action}`, {
          comment: comment || undefined,
        });
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

  if (!event?.id)
    return (
      <Card>
        <Empty error={r.error} />
      </Card>
    );
  const incident = isIncident(event);
  const held = heldBack(event.suppressed);
  const activeChildren = children.filter((c) => c.state !== 'cleared').length;
  return (
    <Card
      title={
        <>
          <SeverityBadge severity={event.severity} />{' '}
          {incident && (
            <span className="mark mark-incident" title={t('events.incident.help')}>
              {t('events.incident')}
            </span>
          )}
          {isFlapping(event) && <span className="mark mark-flapping">{t('events.flapping')}</span>}{' '}
          {eventSummary(event, t)}
        </>
      }
      className="event-detail"
    >
      <dl className="facts">
        <dt>{t('events.state')}</dt>
        <dd data-testid="event-state">{t(`events.state.${event.state}` as MessageKey)}</dd>
        <dt>{t('events.device')}</dt>
        <dd>
          {event.deviceId ? (
            <Link to={`/devices/${encodeURIComponent(event.deviceId)}`}>
              {devices.get(event.deviceId)?.name ?? event.deviceId}
            </Link>
          ) : (
            '—'
          )}
        </dd>
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
        {incident && (
          <>
            <dt>{t('events.incident')}</dt>
            <dd data-testid="incident-detail-count">
              {t('events.incident.count', {
                active: num(detailNum(event, 'active'), 0),
                children: num(detailNum(event, 'children'), 0),
              })}
            </dd>
          </>
        )}
        {isFlapping(event) && (
          <>
            <dt>{t('events.flapping')}</dt>
            <dd>
              {t('events.flapping.help', {
                changes: num(detailNum(event, 'changes'), 0),
                windowM: num(detailNum(event, 'windowM'), 0),
              })}
            </dd>
          </>
        )}
        {event.incidentId && (
          <>
            <dt>{t('events.incident.of')}</dt>
            <dd>
              <Link to={`/events?id=${encodeURIComponent(event.incidentId)}`} data-testid="parent-incident">
                {t('events.heldBack.see')}
              </Link>
            </dd>
          </>
        )}
        {held && (
          <>
            <dt>{t('events.notifications')}</dt>
            <dd className="muted" data-testid="event-held-back" title={held.reason}>
              {t(held.key, { reason: held.reason })}
              {held.ref && held.key !== 'events.heldBack.other' && held.ref !== event.incidentId && (
                <>
                  {' · '}
                  <Link to={`/events?id=${encodeURIComponent(held.ref)}`}>{t('events.heldBack.see')}</Link>
                </>
              )}
            </dd>
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
          {incident && activeChildren > 0 && (
            <p className="muted small">{t('events.incident.ackNote', { n: num(activeChildren, 0) })}</p>
          )}
          <label>
            {t('events.comment')}
            <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <div className="row">
            {event.state === 'open' && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void act('ack')}
                data-testid="ack"
              >
                {t('events.ack')}
              </button>
            )}
            {event.state === 'acknowledged' && (
              <button type="button" disabled={busy} onClick={() => void act('unack')}>
                {t('events.unack')}
              </button>
            )}
            <button type="button" className="danger" disabled={busy} onClick={() => void act('close')}>
              {t('events.close')}
            </button>
          </div>
          <ErrorLine error={error} />
        </div>
      )}
      {incident && (
        <>
          <h2 className="pad-top">{t('events.incident.children', { n: num(children.length, 0) })}</h2>
          {children.length ? (
            <ul className="mini" data-testid="incident-children">
              {children.map((c) => (
                <li key={c.id} data-child={c.id}>
                  <SeverityBadge severity={c.severity} />
                  <Link to={`/events?id=${encodeURIComponent(c.id)}`} className="ellipsis">
                    {c.summary}
                  </Link>
                  <span className="grow" />
                  <span className="muted small">{t(`events.state.${c.state}` as MessageKey)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t('events.incident.noChildren')}</Empty>
          )}
        </>
      )}
      <h2 className="pad-top">{t('events.history')}</h2>
      {history.length ? (
        <ul className="mini" data-testid="event-history">
          {history.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: history entries have no id and are only ever appended
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
            {(linked.length
              ? linked
              : (event.causes ?? []).map((c) => ({ id: c, summary: c, severity: 'info' }) as EventItem)
            ).map((l) => (
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
