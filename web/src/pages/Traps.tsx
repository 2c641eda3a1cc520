import { useState } from 'react';
import { itemsOf, qs, useApi } from '../lib/api.ts';
import { useDeviceIndex } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import type { TrapItem } from '../lib/types.ts';
import { Link } from '../components/Link.tsx';
import { Card, Empty } from '../components/ui.tsx';

type Shown = TrapItem & { display?: { trap: string; varbinds: { oid: string; name: string; value: string }[] } };

/** Received traps with translated names and varbinds; filters by trap, source, device and version. */
export function Traps() {
  const { t, time } = useI18n();
  const { query } = useLocation();
  const devices = useDeviceIndex();
  const trap = query.get('trap') ?? '';
  const source = query.get('source') ?? '';
  const device = query.get('device') ?? '';
  const version = query.get('version') ?? '';
  const [open, setOpen] = useState<number | undefined>();
  const list = useApi<unknown>(`/traps${qs({ trap, source, device, version, limit: 200 })}`, { refreshMs: 15_000 });
  const rows = itemsOf<Shown>(list.data, 'traps');
  return (
    <div className="page" data-page="traps">
      <h1>{t('nav.traps')}</h1>
      <div className="filters">
        <input
          className="search"
          placeholder={t('traps.oid')}
          aria-label={t('traps.oid')}
          defaultValue={trap}
          onBlur={(e) => setQuery({ trap: e.target.value || undefined })}
          onKeyDown={(e) => e.key === 'Enter' && setQuery({ trap: (e.target as HTMLInputElement).value || undefined })}
        />
        <input
          placeholder={t('traps.source')}
          aria-label={t('traps.source')}
          defaultValue={source}
          onBlur={(e) => setQuery({ source: e.target.value || undefined })}
        />
        <select
          aria-label="version"
          value={version}
          onChange={(e) => setQuery({ version: e.target.value || undefined })}
        >
          <option value="">SNMP: {t('common.all')}</option>
          <option>v1</option>
          <option>v2c</option>
          <option>v3</option>
        </select>
        <select
          aria-label={t('events.device')}
          value={device}
          onChange={(e) => setQuery({ device: e.target.value || undefined })}
        >
          <option value="">
            {t('events.device')}: {t('common.all')}
          </option>
          {[...devices.values()].map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <Card>
        {rows.length ? (
          <table className="table" data-testid="traps-table">
            <thead>
              <tr>
                <th>{t('common.time')}</th>
                <th>{t('traps.trap')}</th>
                <th>{t('traps.source')}</th>
                <th>SNMP</th>
                <th>{t('traps.varbinds')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const vbs =
                  r.display?.varbinds ??
                  r.varbinds.map((v) => ({
                    oid: v.oid,
                    name: v.name ?? v.oid,
                    value: String(v.formatted ?? v.display ?? v.value ?? ''),
                  }));
                return (
                  <tr key={String(r.id ?? i)} className="clickable" onClick={() => setOpen(open === i ? undefined : i)}>
                    <td className="muted small">{time(r.receivedTs)}</td>
                    <td className="mono">{r.display?.trap ?? r.trapName ?? r.trapOid}</td>
                    <td>
                      {r.deviceId ? (
                        <Link to={`/devices/${encodeURIComponent(r.deviceId)}`}>
                          {devices.get(r.deviceId)?.name ?? r.agentAddress}
                        </Link>
                      ) : (
                        (r.agentAddress ?? r.sourceAddress)
                      )}
                    </td>
                    <td>
                      {r.version} {r.pduType === 'inform' ? 'inform' : ''}
                    </td>
                    <td>
                      {open === i ? (
                        <dl className="facts mono small">
                          {vbs.map((v, j) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: varbinds in PDU order; an OID may repeat
                            <div key={j} style={{ display: 'contents' }}>
                              <dt title={v.oid}>{v.name}</dt>
                              <dd>{v.value}</dd>
                            </div>
                          ))}
                        </dl>
                      ) : (
                        <span className="muted small ellipsis">
                          {vbs.map((v) => `${v.name.split('::').pop()}=${v.value}`).join(', ')}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <Empty error={list.error}>{list.loading ? t('common.loading') : t('traps.none')}</Empty>
        )}
      </Card>
    </div>
  );
}
