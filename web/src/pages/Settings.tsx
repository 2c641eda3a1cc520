import { useState } from 'react';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useAuth, type Role } from '../lib/auth.ts';
import { useI18n, type Locale } from '../lib/i18n.ts';
import type { MessageKey } from '../lib/messages.ts';
import { setQuery, useLocation } from '../lib/router.ts';
import { Card, Empty, ErrorLine, Table, Tabs } from '../components/ui.tsx';
import { ResourceEditor } from './SettingsResources.tsx';

type Tab = 'profile' | 'credentials' | 'rules' | 'maintenance' | 'channels' | 'users' | 'tokens' | 'audit';
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Settings: own account, credential profiles, rules, maintenance windows, channels, users, tokens, audit log. */
export function Settings() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { query } = useLocation();
  const tabs: { key: Tab; label: string }[] = [
    { key: 'profile', label: t('settings.profile') },
    { key: 'credentials', label: t('settings.credentials') },
    { key: 'rules', label: t('settings.rules') },
    { key: 'maintenance', label: t('settings.maintenance') },
    { key: 'channels', label: t('settings.channels') },
    ...(can('admin') ? [{ key: 'users' as Tab, label: t('settings.users') }] : []),
    { key: 'tokens', label: t('settings.tokens') },
    ...(can('admin') ? [{ key: 'audit' as Tab, label: t('settings.audit') }] : []),
  ];
  const tab = (query.get('tab') as Tab) || 'profile';
  return (
    <div className="page" data-page="settings">
      <h1>{t('nav.settings')}</h1>
      <Tabs tabs={tabs} value={tab} onChange={(k) => setQuery({ tab: k })} />
      <Card>
        {tab === 'profile' && <Profile />}
        {tab === 'credentials' && (
          <ResourceEditor
            path="/credentials"
            save="put"
            editRole="admin"
            idOf={(i) => str(i.name)}
            summary={(i) => `${str(i.version)} ${i.user ? `user ${str(i.user)}` : ''} port ${str(i.port ?? 161)}`}
            template={{ name: 'campus', version: 'v2c', community: 'public' }}
            testId="credentials"
          />
        )}
        {tab === 'rules' && (
          <ResourceEditor
            path="/rules"
            listKeys={['rules']}
            dryRun
            idOf={(i) => str(i.id)}
            summary={(i) =>
              `${str(i.kind)} · ${str(i.name ?? i.summary ?? '')} ${i.severity ? `→ ${str(i.severity)}` : ''}`
            }
            template={{
              id: 'cpu-high',
              kind: 'threshold',
              metric: 'cpu.load.pct',
              above: 90,
              forS: 300,
              severity: 'major',
              summary: 'CPU above 90 %',
            }}
          />
        )}
        {tab === 'maintenance' && (
          <ResourceEditor
            path="/maintenance"
            listKeys={['windows']}
            idOf={(i) => str(i.id)}
            summary={(i) => `${str(i.name ?? '')} ${i.cron ? `cron ${str(i.cron)}` : ''}`}
            template={{
              id: 'sunday-night',
              name: 'Sunday night',
              groups: ['core'],
              cron: '0 2 * * 0',
              durationMin: 120,
            }}
          />
        )}
        {tab === 'channels' && (
          <ResourceEditor
            path="/channels"
            listKeys={['channels']}
            editRole="admin"
            idOf={(i) => str(i.id ?? i.name)}
            summary={(i) => `${str(i.type)} ${str(i.name ?? '')}`}
            template={{ id: 'ops-webhook', type: 'webhook', url: 'https://hooks.example/vigil' }}
          />
        )}
        {tab === 'users' && can('admin') && <Users />}
        {tab === 'tokens' && <Tokens />}
        {tab === 'audit' && can('admin') && <Audit />}
      </Card>
    </div>
  );
}

function Profile() {
  const { t, locale } = useI18n();
  const auth = useAuth();
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [msg, setMsg] = useState<string>();
  const [error, setError] = useState<string>();
  const theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
  async function change() {
    setError(undefined);
    try {
      await api('PATCH', '/me', { currentPassword: cur, password: next });
      setMsg(t('settings.passwordChanged'));
      setCur('');
      setNext('');
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  return (
    <div className="form" style={{ maxWidth: 420 }}>
      <label>
        {t('settings.language')}
        <select
          value={locale}
          onChange={(e) => auth.savePrefs({ locale: e.target.value as Locale })}
          data-testid="settings-locale"
        >
          <option value="en">English</option>
          <option value="ko">한국어</option>
        </select>
      </label>
      <label>
        {t('settings.theme')}
        <select value={theme} onChange={(e) => auth.savePrefs({ theme: e.target.value as 'light' | 'dark' })}>
          <option value="light">{t('settings.light')}</option>
          <option value="dark">{t('settings.dark')}</option>
        </select>
      </label>
      {auth.me.user && (
        <fieldset>
          <legend>{t('settings.password')}</legend>
          <label>
            {t('settings.currentPassword')}
            <input
              type="password"
              autoComplete="current-password"
              value={cur}
              onChange={(e) => setCur(e.target.value)}
            />
          </label>
          <label>
            {t('settings.newPassword')}
            <input
              type="password"
              autoComplete="new-password"
              minLength={8}
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </label>
          <ErrorLine error={error} />
          {msg && <div className="ok">{msg}</div>}
          <div className="row end">
            <button type="button" className="primary" disabled={!cur || next.length < 8} onClick={() => void change()}>
              {t('common.save')}
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  disabled?: boolean;
  lastLoginTs?: number;
  createdTs: number;
}
function Users() {
  const { t, time } = useI18n();
  const auth = useAuth();
  const list = useApi<{ users: UserRow[] }>('/users');
  const [form, setForm] = useState({ name: '', role: 'viewer' as Role, password: '' });
  const [error, setError] = useState<string>();
  const run = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      list.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  };
  const roleLabel = (r: Role) => t(`role.${r}` as MessageKey);
  return (
    <div className="form" data-testid="users">
      <Table
        rows={list.data?.users ?? []}
        rowKey={(u) => u.id}
        initialSort="name"
        columns={[
          {
            key: 'name',
            label: t('common.name'),
            render: (u) => (u.disabled ? `${u.name} (${t('settings.disabled')})` : u.name),
            sort: (u) => u.name,
          },
          {
            key: 'role',
            label: t('settings.role'),
            render: (u) => (
              <select
                value={u.role}
                onChange={(e) => void run(() => api('PATCH', `/users/${u.id}`, { role: e.target.value }))}
                aria-label={`${t('settings.role')} ${u.name}`}
              >
                {(['admin', 'operator', 'viewer'] as Role[]).map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>
            ),
            sort: (u) => u.role,
          },
          {
            key: 'last',
            label: t('settings.lastLogin'),
            render: (u) => time(u.lastLoginTs),
            sort: (u) => -(u.lastLoginTs ?? 0),
          },
          {
            key: 'actions',
            label: '',
            className: 'actions',
            render: (u) => (
              <>
                <button
                  type="button"
                  className="ghost small"
                  onClick={() => {
                    const p = prompt(t('settings.newPassword'));
                    if (p) void run(() => api('PATCH', `/users/${u.id}`, { password: p }));
                  }}
                >
                  {t('settings.resetPassword')}
                </button>
                {u.id !== auth.me.user?.id && (
                  <button
                    type="button"
                    className="ghost small"
                    onClick={() => void run(() => api('PATCH', `/users/${u.id}`, { disabled: !u.disabled }))}
                  >
                    {u.disabled ? t('settings.enableUser') : t('settings.disableUser')}
                  </button>
                )}
                {u.id !== auth.me.user?.id && (
                  <button
                    type="button"
                    className="ghost small danger"
                    onClick={() => confirm(t('common.confirm')) && void run(() => api('DELETE', `/users/${u.id}`))}
                  >
                    {t('common.delete')}
                  </button>
                )}
              </>
            ),
          },
        ]}
      />
      <fieldset>
        <legend>{t('settings.newUser')}</legend>
        <div className="row">
          <input
            name="new-user-name"
            placeholder={t('common.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <select
            name="new-user-role"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
          >
            {(['admin', 'operator', 'viewer'] as Role[]).map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
          <input
            name="new-user-password"
            type="password"
            autoComplete="new-password"
            placeholder={t('login.password')}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          <button
            type="button"
            className="primary"
            disabled={!form.name || form.password.length < 8}
            onClick={() =>
              void run(
                async () => (await api('POST', '/users', form), setForm({ name: '', role: 'viewer', password: '' })),
              )
            }
          >
            {t('common.create')}
          </button>
        </div>
      </fieldset>
      <ErrorLine error={error} />
    </div>
  );
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  createdTs: number;
  lastUsedTs?: number;
}
function Tokens() {
  const { t, time } = useI18n();
  const auth = useAuth();
  const list = useApi<{ tokens: TokenRow[] }>('/me/tokens');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(auth.me.role);
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<string>();
  async function create() {
    setError(undefined);
    try {
      const r = await api<{ token: string }>('POST', '/me/tokens', { name, role });
      setCreated(r.token);
      setName('');
      list.reload();
    } catch (e) {
      setError((e as ApiError).message);
    }
  }
  const roles = (['viewer', 'operator', 'admin'] as Role[]).filter((r) => auth.can(r));
  return (
    <div className="form" data-testid="tokens">
      {created && (
        <div>
          <p>{t('settings.tokenOnce')}</p>
          <div className="token-once" data-testid="token-once">
            {created}
          </div>
        </div>
      )}
      {list.data?.tokens?.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th>{t('settings.role')}</th>
              <th>{t('settings.created')}</th>
              <th>{t('settings.lastUsed')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.tokens.map((tk) => (
              <tr key={tk.id}>
                <td>{tk.name}</td>
                <td>{t(`role.${tk.role}` as MessageKey)}</td>
                <td>{time(tk.createdTs)}</td>
                <td>{time(tk.lastUsedTs)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="ghost small danger"
                    onClick={() =>
                      void api('DELETE', `/me/tokens/${tk.id}`).then(list.reload, (e: ApiError) => setError(e.message))
                    }
                  >
                    {t('settings.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty error={list.error} />
      )}
      <div className="row">
        <input placeholder={t('common.name')} value={name} onChange={(e) => setName(e.target.value)} />
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}` as MessageKey)}
            </option>
          ))}
        </select>
        <button type="button" className="primary" disabled={!name} onClick={() => void create()}>
          {t('settings.newToken')}
        </button>
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

interface AuditRow {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target?: string;
  result?: string;
  details?: Record<string, unknown>;
}
function Audit() {
  const { t, time } = useI18n();
  const [before, setBefore] = useState<number[]>([]);
  const cursor = before.at(-1);
  const list = useApi<{ entries: AuditRow[]; nextBefore?: number }>(
    `/audit?limit=100${cursor ? `&before=${cursor}` : ''}`,
    { refreshMs: cursor ? undefined : 30_000 },
  );
  const rows = itemsOf<AuditRow>(list.data, 'entries');
  return (
    <div data-testid="audit">
      {rows.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('common.time')}</th>
              <th>{t('settings.actor')}</th>
              <th>{t('settings.action')}</th>
              <th>{t('settings.target')}</th>
              <th>{t('settings.result')}</th>
              <th>{t('events.details')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{time(r.ts)}</td>
                <td>{r.actor}</td>
                <td className="mono">{r.action}</td>
                <td>{r.target ?? ''}</td>
                <td className={r.result && r.result !== 'ok' ? 'bad' : ''}>{r.result ?? ''}</td>
                <td className="mono small muted ellipsis">{r.details ? JSON.stringify(r.details) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty error={list.error} />
      )}
      <div className="row">
        {before.length > 0 && (
          <button type="button" onClick={() => setBefore((b) => b.slice(0, -1))}>
            ←
          </button>
        )}
        {list.data?.nextBefore && (
          <button type="button" onClick={() => setBefore((b) => [...b, list.data!.nextBefore!])}>
            {t('common.loadMore')}
          </button>
        )}
      </div>
    </div>
  );
}
