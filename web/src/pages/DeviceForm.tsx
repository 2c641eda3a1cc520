import { useState, type FormEvent } from 'react';
import { api, type ApiError, itemsOf, useApi } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.ts';
import type { DeviceView, SnmpCredentials } from '../lib/types.ts';
import { ErrorLine, Modal } from '../components/ui.tsx';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS, type AuthProtocol, type PrivProtocol } from '../../../src/model/device.ts';

const AUTH = AUTH_PROTOCOLS;
const PRIV = PRIV_PROTOCOLS;
type SnmpMode = 'none' | 'profile' | 'inline';

interface TestResult {
  icmp?: { ok: boolean; lossPct?: number; rttAvgMs?: number; error?: string };
  snmp?: { ok: boolean; version?: string; sysName?: string; sysDescr?: string; error?: string; elapsedMs?: number };
}

/** Add or edit a device: identity, ICMP, and SNMP by credential profile or inline; "test connection" tries it without saving. */
export function DeviceForm({
  device,
  onClose,
  onSaved,
}: {
  device?: DeviceView;
  onClose(): void;
  onSaved(id: string): void;
}) {
  const { t, ms, pct } = useI18n();
  const profiles = useApi<unknown>('/credentials');
  const [name, setName] = useState(device?.name ?? '');
  const [address, setAddress] = useState(device?.address ?? '');
  const [group, setGroup] = useState(device?.group ?? '');
  const [location, setLocation] = useState(device?.location ?? '');
  const [tags, setTags] = useState((device?.tags ?? []).join(', '));
  const [icmp, setIcmp] = useState(device?.icmp.enabled ?? true);
  const [interval, setInterval] = useState(device?.pollIntervalS ? String(device.pollIntervalS) : '');
  const [mode, setMode] = useState<SnmpMode>(
    device?.snmpProfile ? 'profile' : device?.snmp ? 'inline' : device ? 'none' : 'inline',
  );
  const [profile, setProfile] = useState(device?.snmpProfile ?? '');
  const [snmp, setSnmp] = useState<SnmpCredentials>(device?.snmp ?? { version: 'v2c', community: '', port: 161 });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestResult | 'running' | undefined>();

  const set = (patch: Partial<SnmpCredentials>) => setSnmp((s) => ({ ...s, ...patch }));
  function body() {
    const snmpBody: Partial<SnmpCredentials> = { ...snmp };
    for (const k of Object.keys(snmpBody) as (keyof SnmpCredentials)[])
      if (snmpBody[k] === '' || snmpBody[k] === undefined) delete snmpBody[k];
    if (snmp.version !== 'v3')
      for (const k of [
        'user',
        'securityLevel',
        'authProtocol',
        'authKey',
        'privProtocol',
        'privKey',
        'context',
      ] as const)
        delete snmpBody[k];
    else delete snmpBody.community;
    const b: Record<string, unknown> = {
      name,
      address,
      tags: tags
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      icmp: { enabled: icmp },
      ...(group ? { group } : {}),
      ...(location ? { location } : {}),
      ...(interval ? { pollIntervalS: Number(interval) } : {}),
    };
    if (mode === 'profile' && profile) b.snmpProfile = profile;
    if (mode === 'inline') b.snmp = snmpBody;
    return b;
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const b = body();
      // PATCH merges; null removes: say explicitly which SNMP form and which emptied fields are gone.
      if (device && mode !== 'profile') b.snmpProfile = null;
      if (device && mode !== 'inline') b.snmp = null;
      if (device?.group && !group) b.group = null;
      if (device?.location && !location) b.location = null;
      const saved = device
        ? await api<DeviceView>('PATCH', `/devices/${encodeURIComponent(device.id)}`, b)
        : await api<DeviceView>('POST', '/devices', b);
      onSaved(saved.id);
    } catch (err) {
      setError((err as ApiError).message);
    } finally {
      setBusy(false);
    }
  }

  async function runTest() {
    setTest('running');
    try {
      setTest(await api<TestResult>('POST', '/devices/test', body()));
    } catch (err) {
      setTest(undefined);
      setError((err as ApiError).missing ? t('common.unavailable') : (err as ApiError).message);
    }
  }

  const profileNames = itemsOf<{ name: string }>(profiles.data).map((p) => p.name);
  const v3 = snmp.version === 'v3';
  const level = snmp.securityLevel ?? 'authPriv';
  return (
    <Modal title={device ? t('devices.edit') : t('devices.add')} onClose={onClose}>
      <form className="form" onSubmit={save} data-testid="device-form">
        <div className="cols2">
          <label>
            {t('devices.name')}
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label>
            {t('devices.address')}
            <input
              name="address"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              required
              placeholder="192.0.2.1 / host.example"
            />
          </label>
          <label>
            {t('devices.group')}
            <input name="group" value={group} onChange={(e) => setGroup(e.target.value)} />
          </label>
          <label>
            {t('devices.location')}
            <input name="location" value={location} onChange={(e) => setLocation(e.target.value)} />
          </label>
          <label>
            {t('devices.tags')}
            <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="core, lab" />
          </label>
          <label>
            {t('devices.interval')}
            <input
              name="pollIntervalS"
              type="number"
              min={5}
              value={interval}
              onChange={(e) => setInterval(e.target.value)}
              placeholder="60"
            />
          </label>
        </div>
        <label className="check">
          <input type="checkbox" name="icmp" checked={icmp} onChange={(e) => setIcmp(e.target.checked)} />{' '}
          {t('devices.icmpEnabled')}
        </label>
        <fieldset>
          <legend>SNMP</legend>
          <div className="row">
            {(['inline', 'profile', 'none'] as const).map((m) => (
              <label key={m} className="check">
                <input type="radio" name="snmpMode" value={m} checked={mode === m} onChange={() => setMode(m)} />{' '}
                {t(`devices.snmp.${m}`)}
              </label>
            ))}
          </div>
          {mode === 'profile' && (
            <label>
              {t('devices.profile')}
              <select name="snmpProfile" value={profile} onChange={(e) => setProfile(e.target.value)} required>
                <option value="">—</option>
                {profileNames.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
          )}
          {mode === 'inline' && (
            <div className="cols3">
              <label>
                {t('devices.version')}
                <select
                  name="version"
                  value={snmp.version}
                  onChange={(e) => set({ version: e.target.value as SnmpCredentials['version'] })}
                >
                  <option value="v1">v1</option>
                  <option value="v2c">v2c</option>
                  <option value="v3">v3</option>
                </select>
              </label>
              {!v3 && (
                <label>
                  {t('devices.community')}
                  <input
                    name="community"
                    type="password"
                    autoComplete="off"
                    value={snmp.community ?? ''}
                    onChange={(e) => set({ community: e.target.value })}
                    required
                  />
                </label>
              )}
              <label>
                {t('devices.port')}
                <input
                  name="port"
                  type="number"
                  value={snmp.port ?? 161}
                  onChange={(e) => set({ port: Number(e.target.value) })}
                />
              </label>
              {v3 && (
                <>
                  <label>
                    {t('devices.user')}
                    <input
                      name="user"
                      value={snmp.user ?? ''}
                      onChange={(e) => set({ user: e.target.value })}
                      required
                    />
                  </label>
                  <label>
                    {t('devices.level')}
                    <select
                      name="securityLevel"
                      value={level}
                      onChange={(e) => set({ securityLevel: e.target.value as SnmpCredentials['securityLevel'] })}
                    >
                      <option>noAuthNoPriv</option>
                      <option>authNoPriv</option>
                      <option>authPriv</option>
                    </select>
                  </label>
                  <label>
                    {t('devices.context')}
                    <input
                      name="context"
                      value={snmp.context ?? ''}
                      onChange={(e) => set({ context: e.target.value })}
                    />
                  </label>
                  {level !== 'noAuthNoPriv' && (
                    <>
                      <label>
                        {t('devices.authProtocol')}
                        <select
                          name="authProtocol"
                          value={snmp.authProtocol ?? 'sha256'}
                          onChange={(e) => set({ authProtocol: e.target.value as AuthProtocol })}
                        >
                          {AUTH.map((a) => (
                            <option key={a}>{a}</option>
                          ))}
                        </select>
                      </label>
                      <label>
                        {t('devices.authKey')}
                        <input
                          name="authKey"
                          type="password"
                          autoComplete="off"
                          value={snmp.authKey ?? ''}
                          onChange={(e) =>
                            set({ authKey: e.target.value, authProtocol: snmp.authProtocol ?? 'sha256' })
                          }
                        />
                      </label>
                    </>
                  )}
                  {level === 'authPriv' && (
                    <>
                      <label>
                        {t('devices.privProtocol')}
                        <select
                          name="privProtocol"
                          value={snmp.privProtocol ?? 'aes'}
                          onChange={(e) => set({ privProtocol: e.target.value as PrivProtocol })}
                        >
                          {PRIV.map((a) => (
                            <option key={a}>{a}</option>
                          ))}
                        </select>
                      </label>
                      <label>
                        {t('devices.privKey')}
                        <input
                          name="privKey"
                          type="password"
                          autoComplete="off"
                          value={snmp.privKey ?? ''}
                          onChange={(e) => set({ privKey: e.target.value, privProtocol: snmp.privProtocol ?? 'aes' })}
                        />
                      </label>
                    </>
                  )}
                </>
              )}
            </div>
          )}
        </fieldset>
        {test && (
          <div className="test-result" data-testid="test-result">
            {test === 'running' ? (
              <span className="muted">{t('devices.testing')}</span>
            ) : (
              <>
                {test.icmp && (
                  <div className={test.icmp.ok ? 'ok' : 'bad'}>
                    ICMP:{' '}
                    {test.icmp.ok
                      ? `✓ ${ms(test.icmp.rttAvgMs)} · ${t('device.loss')} ${pct(test.icmp.lossPct)}`
                      : `✗ ${test.icmp.error ?? t('state.down')}`}
                  </div>
                )}
                {test.snmp && (
                  <div className={test.snmp.ok ? 'ok' : 'bad'}>
                    SNMP {test.snmp.version}:{' '}
                    {test.snmp.ok
                      ? `✓ ${test.snmp.sysName ?? ''} — ${(test.snmp.sysDescr ?? '').slice(0, 120)}`
                      : `✗ ${test.snmp.error}`}
                  </div>
                )}
                {!test.icmp && !test.snmp && <div className="muted">{t('common.noData')}</div>}
              </>
            )}
          </div>
        )}
        <ErrorLine error={error} />
        <div className="row end">
          <button type="button" onClick={runTest} disabled={test === 'running' || !address}>
            {t('devices.test')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="primary" type="submit" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
