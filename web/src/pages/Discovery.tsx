import { useState } from 'react';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth } from '../lib/auth.ts';
import { loadDevices } from '../lib/devices.ts';
import { useI18n } from '../lib/i18n.ts';
import { Link } from '../components/Link.tsx';
import { Card, Empty, ErrorLine, Table, type Column } from '../components/ui.tsx';
import type { FoundDevice, JobProgress } from '../../../src/model/discovery.ts';

type Job = JobProgress;
type Found = FoundDevice;

const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/** Progress of a job, 0–1: the sweep first, then the SNMP trials of what answered. */
function fraction(j: Job): number {
  if (j.state !== 'running') return 1;
  if (j.phase === 'sweep') return j.addresses ? (0.5 * j.swept) / j.addresses : 0;
  const total = Math.max(1, j.responders + j.followed);
  return 0.5 + (0.5 * Math.min(j.probed, total)) / total;
}

function Progress({ job }: { job: Job }) {
  const { t } = useI18n();
  const pct = Math.round(fraction(job) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-label={t('discovery.progress')}
      data-testid="discovery-progress"
    >
      <div className={`progress-fill ${job.state}`} style={{ width: `${pct}%` }} />
    </div>
  );
}

/** Runs and watches discovery jobs; lists devices found but not monitored, each added with one click. */
export function Discovery() {
  const { t, num, time } = useI18n();
  const { can } = useAuth();
  const jobs = useApi<unknown>('/discovery/jobs', { refreshMs: 2000 });
  const found = useApi<unknown>('/discovery/found', { refreshMs: 10_000 });
  const profiles = useApi<unknown>('/credentials');
  const [form, setForm] = useState({
    targets: '',
    exclude: '',
    profiles: [] as string[],
    depth: '0',
    ping: true,
    add: false,
  });
  const [selected, setSelected] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const list = itemsOf<Job>(jobs.data);
  const detail = useApi<Job & { found: Found[] }>(selected ? `/discovery/jobs/${selected}` : null, {
    refreshMs: list.find((j) => j.id === selected)?.state === 'running' ? 1000 : 0,
  });
  const profileNames = itemsOf<{ name: string; version: string }>(profiles.data);

  async function start() {
    setError(undefined);
    setBusy(true);
    try {
      const job = await api<Job>('POST', '/discovery/jobs', {
        targets: words(form.targets),
        exclude: words(form.exclude),
        ...(form.profiles.length ? { profiles: form.profiles } : {}),
        depth: Number(form.depth) || 0,
        ping: form.ping,
        ...(form.add ? { defaultAction: 'add' } : {}),
      });
      setSelected(job.id);
      jobs.reload();
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  }

  async function act(method: 'POST' | 'DELETE', path: string, body?: unknown) {
    setError(undefined);
    try {
      await api(method, path, body);
      jobs.reload();
      found.reload();
      detail.reload();
      void loadDevices(true);
    } catch (e) {
      setError((e as ApiError).message);
    }
  }

  const jobColumns: Column<Job>[] = [
    { key: 'started', label: t('discovery.started'), render: (j) => time(j.startedTs), sort: (j) => -j.startedTs },
    { key: 'targets', label: t('discovery.targets'), render: (j) => <code>{j.spec.targets.join(' ')}</code> },
    { key: 'by', label: t('discovery.by'), render: (j) => j.by },
    { key: 'state', label: t('discovery.state'), render: (j) => t(`discovery.state.${j.state}`), sort: (j) => j.state },
    { key: 'progress', label: t('discovery.progress'), render: (j) => <Progress job={j} /> },
    {
      key: 'counts',
      label: t('discovery.counts'),
      render: (j) =>
        t('discovery.countsLine', {
          addresses: num(j.addresses, 0),
          responders: num(j.responders, 0),
          snmp: num(j.snmpAnswers, 0),
          added: num(j.added, 0),
          listed: num(j.listed, 0),
          known: num(j.known, 0),
        }),
    },
  ];

  const foundColumns = (withActions: boolean): Column<Found>[] => [
    { key: 'address', label: t('devices.address'), render: (f) => <code>{f.address}</code>, sort: (f) => f.address },
    {
      key: 'status',
      label: t('discovery.status'),
      render: (f) =>
        f.deviceId && (f.status === 'added' || f.status === 'known') ? (
          <Link to={`/devices/${encodeURIComponent(f.deviceId)}`}>{t(`discovery.status.${f.status}`)}</Link>
        ) : (
          t(`discovery.status.${f.status}`)
        ),
      sort: (f) => f.status,
    },
    { key: 'sysName', label: 'sysName', render: (f) => f.sysName ?? '—', sort: (f) => f.sysName },
    { key: 'vendor', label: t('devices.vendor'), render: (f) => f.vendor ?? '—', sort: (f) => f.vendor },
    {
      key: 'model',
      label: t('discovery.model'),
      render: (f) => f.model ?? f.hardwareModel ?? '—',
      sort: (f) => f.model,
    },
    { key: 'serial', label: t('discovery.serial'), render: (f) => f.serial ?? '—' },
    { key: 'profile', label: t('discovery.profile'), render: (f) => `${f.profile} (${f.version})` },
    ...(withActions && can('operator')
      ? [
          {
            key: 'actions',
            label: '',
            render: (f: Found) => (
              <span className="row-actions">
                <button
                  type="button"
                  onClick={() => void act('POST', `/discovery/found/${f.id}/add`, {})}
                  data-testid="discovery-add"
                >
                  {t('common.add')}
                </button>
                <button type="button" className="ghost" onClick={() => void act('DELETE', `/discovery/found/${f.id}`)}>
                  {t('discovery.dismiss')}
                </button>
              </span>
            ),
          },
        ]
      : []),
  ];

  const job = detail.data;
  return (
    <div className="page" data-testid="discovery">
      {can('operator') && (
        <Card title={t('discovery.new')}>
          <form
            className="form grid2"
            onSubmit={(e) => {
              e.preventDefault();
              void start();
            }}
          >
            <label>
              {t('discovery.targets')}
              <textarea
                required
                rows={2}
                value={form.targets}
                placeholder="10.0.0.0/22 10.0.8.1"
                onChange={(e) => setForm({ ...form, targets: e.target.value })}
                data-testid="discovery-targets"
              />
              <small className="muted">{t('discovery.targetsHelp')}</small>
            </label>
            <label>
              {t('discovery.exclude')}
              <textarea rows={2} value={form.exclude} onChange={(e) => setForm({ ...form, exclude: e.target.value })} />
            </label>
            <label>
              {t('discovery.profiles')}
              <select
                multiple
                value={form.profiles}
                onChange={(e) => setForm({ ...form, profiles: [...e.target.selectedOptions].map((o) => o.value) })}
              >
                {profileNames.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} ({p.version})
                  </option>
                ))}
              </select>
              <small className="muted">{t('discovery.profilesHelp')}</small>
            </label>
            <div>
              <label>
                {t('discovery.depth')}
                <input
                  type="number"
                  min={0}
                  max={10}
                  value={form.depth}
                  onChange={(e) => setForm({ ...form, depth: e.target.value })}
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={form.ping}
                  onChange={(e) => setForm({ ...form, ping: e.target.checked })}
                />
                {t('discovery.ping')}
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={form.add}
                  onChange={(e) => setForm({ ...form, add: e.target.checked })}
                />
                {t('discovery.addAll')}
              </label>
            </div>
            <div className="actions">
              <button type="submit" disabled={busy} data-testid="discovery-start">
                {t('discovery.start')}
              </button>
            </div>
          </form>
          <ErrorLine error={error} />
        </Card>
      )}
      <Card title={t('discovery.jobs')}>
        {list.length ? (
          <Table
            rows={list}
            columns={jobColumns}
            rowKey={(j) => j.id}
            onRow={(j) => setSelected(j.id)}
            testId="discovery-jobs"
          />
        ) : (
          <Empty error={jobs.error}>{t('discovery.noJobs')}</Empty>
        )}
      </Card>
      {job && (
        <Card
          title={t('discovery.job', { when: time(job.startedTs) })}
          actions={
            job.state === 'running' && can('operator') ? (
              <button
                type="button"
                className="ghost"
                onClick={() => void act('POST', `/discovery/jobs/${job.id}/cancel`)}
              >
                {t('discovery.cancel')}
              </button>
            ) : undefined
          }
        >
          <Progress job={job} />
          <p className="muted" data-testid="discovery-summary">
            {t(`discovery.state.${job.state}`)} ·{' '}
            {t('discovery.detailLine', {
              swept: num(job.swept, 0),
              addresses: num(job.addresses, 0),
              responders: num(job.responders, 0),
              probed: num(job.probed, 0),
              snmp: num(job.snmpAnswers, 0),
              followed: num(job.followed, 0),
            })}
            {job.error ? ` · ${job.error}` : ''}
          </p>
          <Table rows={job.found} columns={foundColumns(false)} rowKey={(f) => f.id} initialSort="address" />
        </Card>
      )}
      <Card title={t('discovery.found')}>
        {itemsOf<Found>(found.data).length ? (
          <Table
            rows={itemsOf<Found>(found.data)}
            columns={foundColumns(true)}
            rowKey={(f) => f.id}
            initialSort="address"
            testId="discovery-found"
          />
        ) : (
          <Empty error={found.error}>{t('discovery.noneFound')}</Empty>
        )}
      </Card>
    </div>
  );
}
