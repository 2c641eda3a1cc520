import { itemsOf, useApi } from '../lib/api.ts';
import { eventSummary } from '../lib/event-text.ts';
import { useI18n } from '../lib/i18n.ts';
import { SYSLOG_SEVERITIES, type EventItem, type LogItem, type TrapItem } from '../lib/types.ts';
import { Link } from './Link.tsx';
import { Empty, SeverityBadge } from './ui.tsx';

/**
 * The latest events of a device (or all), compact. An incident shows once: its children that are listed with it are
 * left out (a port storm on this device), while a device's own event in an incident shown elsewhere (its parent's)
 * stays.
 */
export function RecentEvents({ device, limit = 10 }: { device?: string; limit?: number }) {
  const { date, t } = useI18n();
  const r = useApi<unknown>(`/events?limit=${limit * 5}${device ? `&device=${encodeURIComponent(device)}` : ''}`, {
    refreshMs: 20_000,
  });
  const all = itemsOf<EventItem>(r.data, 'events');
  const ids = new Set(all.map((e) => e.id));
  const rows = all.filter((e) => !e.incidentId || !ids.has(e.incidentId)).slice(0, limit);
  if (!rows.length) return <Empty error={r.error} />;
  return (
    <ul className="mini">
      {rows.map((e) => (
        <li key={e.id}>
          <SeverityBadge severity={e.severity} />
          <Link to={`/events?id=${encodeURIComponent(e.id)}`}>{eventSummary(e, t)}</Link>
          <span className="grow" />
          <span className="muted small">{date(e.lastSeen)}</span>
        </li>
      ))}
    </ul>
  );
}

export function RecentLogs({ device, limit = 10 }: { device?: string; limit?: number }) {
  const { date } = useI18n();
  const r = useApi<unknown>(`/logs?limit=${limit}${device ? `&device=${encodeURIComponent(device)}` : ''}`, {
    refreshMs: 20_000,
  });
  const rows = itemsOf<LogItem>(r.data, 'logs');
  if (!rows.length) return <Empty error={r.error} />;
  return (
    <ul className="mini">
      {rows.map((l, i) => (
        <li key={String(l.id ?? i)}>
          <span className={`syssev syssev-${l.severity}`}>{SYSLOG_SEVERITIES[l.severity] ?? l.severity}</span>
          <span className="mono ellipsis">
            {l.app ? `${l.app}: ` : ''}
            {l.message}
          </span>
          <span className="grow" />
          <span className="muted small">{date(l.ts)}</span>
        </li>
      ))}
    </ul>
  );
}

export function RecentTraps({ device, limit = 10 }: { device?: string; limit?: number }) {
  const { date } = useI18n();
  const r = useApi<unknown>(`/traps?limit=${limit}${device ? `&device=${encodeURIComponent(device)}` : ''}`, {
    refreshMs: 20_000,
  });
  const rows = itemsOf<TrapItem>(r.data, 'traps');
  if (!rows.length) return <Empty error={r.error} />;
  return (
    <ul className="mini">
      {rows.map((tr, i) => (
        <li key={String(tr.id ?? i)}>
          <span className="mono ellipsis">{tr.trapName ?? tr.trapOid}</span>
          <span className="grow" />
          <span className="muted small">{date(tr.receivedTs)}</span>
        </li>
      ))}
    </ul>
  );
}
