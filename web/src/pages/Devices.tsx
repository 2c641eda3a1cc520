import { useMemo, useState } from 'react';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { loadDevices } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import { navigate, setQuery, useLocation } from '../lib/router.ts';
import type { DeviceView } from '../lib/types.ts';
import { Link } from '../components/Link.tsx';
import { Empty, ErrorLine, StateDot, Table, type Column } from '../components/ui.tsx';
import { DeviceForm } from './DeviceForm.tsx';

/** The inventory: search, sort, state filter; add, edit and delete for operators. */
export function Devices() {
  const { t, ago } = useI18n();
  const { can } = useAuth();
  const { query } = useLocation();
  const list = useApi<unknown>('/devices', { refreshMs: 30_000 });
  const [q, setQ] = useState(query.get('q') ?? '');
  const state = query.get('state') ?? '';
  const [editing, setEditing] = useState<DeviceView | 'new' | undefined>();
  const [error, setError] = useState<string>();
  const devices = itemsOf<DeviceView>(list.data, 'devices');

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return devices.filter(
      (d) =>
        (!state || d.state === state) &&
        (!needle ||
          [
            d.name,
            d.address,
            d.group ?? '',
            d.vendor ?? '',
            d.location ?? '',
            ...(d.tags ?? []),
            d.status?.system?.sysName ?? '',
          ].some((f) => f.toLowerCase().includes(needle))),
    );
  }, [devices, q, state]);

  async function remove(d: DeviceView) {
    if (!confirm(t('devices.confirmDelete', { name: d.name }))) return;
    try {
      await api('DELETE', `/devices/${encodeURIComponent(d.id)}`);
      list.reload();
      void loadDevices(true);
    } catch (e) {
      setError((e as ApiError).message);
    }
  }

  const columns: Column<DeviceView>[] = [
    { key: 'state', label: t('devices.state'), render: (d) => <StateDot state={d.state} />, sort: (d) => d.state },
    {
      key: 'name',
      label: t('devices.name'),
      render: (d) => <Link to={`/devices/${encodeURIComponent(d.id)}`}>{d.name}</Link>,
      sort: (d) => d.name.toLowerCase(),
    },
    { key: 'address', label: t('devices.address'), render: (d) => <code>{d.address}</code>, sort: (d) => d.address },
    { key: 'vendor', label: t('devices.vendor'), render: (d) => d.vendor ?? '—', sort: (d) => d.vendor },
    { key: 'group', label: t('devices.group'), render: (d) => d.group ?? '—', sort: (d) => d.group },
    {
      key: 'snmp',
      label: 'SNMP',
      render: (d) =>
        d.status?.snmpOk === false ? (
          <span className="bad" title={d.status.snmpError}>
            ✗ {d.snmpVersion ?? ''}
          </span>
        ) : (
          (d.snmpVersion ?? '—')
        ),
      sort: (d) => d.snmpVersion,
    },
    {
      key: 'lastPoll',
      label: t('devices.lastPoll'),
      render: (d) => ago(d.status?.lastPollTs ?? d.status?.icmpTs),
      sort: (d) => -(d.status?.lastPollTs ?? d.status?.icmpTs ?? 0),
    },
  ];
  if (can('operator'))
    columns.push({
      key: 'actions',
      label: '',
      className: 'actions',
      render: (d) =>
        d.origin === 'config' ? (
          <span className="muted small" title={t('devices.fromConfig')}>
            {t('devices.config')}
          </span>
        ) : (
          <>
            <button type="button" className="ghost small" onClick={() => setEditing(d)} data-testid={`edit-${d.id}`}>
              {t('common.edit')}
            </button>
            <button type="button" className="ghost small danger" onClick={() => void remove(d)}>
              {t('common.delete')}
            </button>
          </>
        ),
    });

  return (
    <div className="page" data-page="devices">
      <div className="page-head">
        <h1>{t('nav.devices')}</h1>
        <input
          className="search"
          type="search"
          placeholder={t('devices.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onBlur={() => setQuery({ q: q || undefined })}
          aria-label={t('devices.search')}
        />
        <select
          value={state}
          onChange={(e) => setQuery({ state: e.target.value || undefined })}
          aria-label={t('devices.state')}
        >
          <option value="">{t('common.all')}</option>
          <option value="up">{t('state.up')}</option>
          <option value="down">{t('state.down')}</option>
          <option value="unknown">{t('state.unknown')}</option>
        </select>
        <div className="grow" />
        <span className="muted">{t('devices.count', { n: rows.length })}</span>
        {can('operator') && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="add-device">
            + {t('devices.add')}
          </button>
        )}
      </div>
      <ErrorLine error={error} />
      {list.data ? (
        rows.length ? (
          <Table
            rows={rows}
            columns={columns}
            rowKey={(d) => d.id}
            initialSort="name"
            limit={300}
            testId="devices-table"
          />
        ) : (
          <Empty>{t('devices.none')}</Empty>
        )
      ) : list.loading ? (
        <div className="muted pad">{t('common.loading')}</div>
      ) : (
        <Empty error={list.error} />
      )}
      {editing && (
        <DeviceForm
          device={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(id) => {
            setEditing(undefined);
            list.reload();
            void loadDevices(true);
            if (editing === 'new') navigate(`/devices/${encodeURIComponent(id)}`);
          }}
        />
      )}
    </div>
  );
}
