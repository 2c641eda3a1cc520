/**
 * The contract every Store backend passes. Backends call `storeContract(name, open)` from their own test file.
 * `open(dir)` opens the backend on a directory (a second open of the same dir must see what the first stored).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Device } from '../model/device.ts';
import type { Sample } from '../model/records.ts';
import type { Store } from './types.ts';

const device = (id: string, extra: Partial<Device> = {}): Device => ({ id, name: id, address: '127.0.0.1', tags: ['t'], icmp: { enabled: true }, pollIntervalS: 60, origin: 'api', ...extra });
const T0 = Date.UTC(2026, 0, 1);

export function storeContract(name: string, open: (dir: string) => Store): void {
  describe(`Store contract: ${name}`, () => {
    const fresh = () => open(mkdtempSync(join(tmpdir(), 'vigil-store-')));

    test('devices: put, get, list, replace, delete', () => {
      const s = fresh();
      s.putDevice(device('b'));
      s.putDevice(device('a', { snmp: { version: 'v2c', community: 'c', port: 161, timeoutMs: 1000, retries: 1 } }));
      assert.deepEqual(s.listDevices().map((d) => d.id), ['a', 'b']);
      assert.equal(s.getDevice('a')?.snmp?.community, 'c');
      s.putDevice(device('a', { name: 'renamed' }));
      assert.equal(s.getDevice('a')?.name, 'renamed');
      assert.equal(s.deleteDevice('a'), true);
      assert.equal(s.deleteDevice('a'), false);
      assert.equal(s.getDevice('a'), undefined);
      s.close();
    });

    test('device states merge: icmp and snmp parts kept apart, facts merged, reboots timed', () => {
      const s = fresh();
      s.applyDeviceStates([{ kind: 'device-state', deviceId: 'd', ts: 1, icmp: { up: true, lossPct: 0, rttAvgMs: 0.1 } }]);
      s.applyDeviceStates([{ kind: 'device-state', deviceId: 'd', ts: 2, snmp: { ok: true, version: 'v3', system: { sysName: 'x', vendor: 'Cisco' } } }]);
      s.applyDeviceStates([{ kind: 'device-state', deviceId: 'd', ts: 3, snmp: { ok: false, errorCode: 'VIGIL_SNMP_TIMEOUT', error: 'timeout', version: 'v3' }, rebooted: true }]);
      const st = s.getStatus('d')!;
      assert.equal(st.icmpUp, true);
      assert.equal(st.snmpOk, false);
      assert.equal(st.snmpErrorCode, 'VIGIL_SNMP_TIMEOUT');
      assert.equal(st.system?.sysName, 'x');
      assert.equal(st.snmpVersion, 'v3');
      assert.equal(st.lastRebootTs, 3);
      assert.equal(s.listStatuses().length, 1);
      s.close();
    });

    test('interfaces: state kept, oper-status changes recorded with their time', () => {
      const s = fresh();
      s.applyInterfaceStates([{ kind: 'interface-state', deviceId: 'd', ts: 10, ifIndex: 1, name: 'Gi0/1', operStatus: 1, adminStatus: 1, inBps: 5 }]);
      s.applyInterfaceStates([{ kind: 'interface-state', deviceId: 'd', ts: 20, ifIndex: 1, name: 'Gi0/1', operStatus: 2, adminStatus: 1 }]);
      const [row] = s.listInterfaces('d');
      assert.equal(row.operStatus, 2);
      assert.equal(row.lastChangeTs, 20);
      assert.deepEqual(s.listInterfaceChanges('d'), [{ ifIndex: 1, ts: 20, from: 1, to: 2 }]);
      s.close();
    });

    test('samples: raw, 5-minute and hourly tiers with min/avg/max; labels select series; latest', () => {
      const s = fresh();
      const samples: Sample[] = [];
      for (let i = 0; i < 120; i++) {
        samples.push({ kind: 'sample', deviceId: 'd', metric: 'if.in.bps', labels: { ifIndex: '1' }, ts: T0 + i * 60_000, value: i });
        samples.push({ kind: 'sample', deviceId: 'd', metric: 'if.in.bps', labels: { ifIndex: '2' }, ts: T0 + i * 60_000, value: 1000 });
      }
      s.writeSamples(samples);
      const raw = s.querySeries({ deviceId: 'd', metric: 'if.in.bps', labels: { ifIndex: '1' }, from: T0, to: T0 + 7_200_000, stepS: 60 });
      assert.equal(raw.length, 1);
      assert.equal(raw[0].tier, 'raw');
      assert.equal(raw[0].points.length, 120);
      const five = s.querySeries({ deviceId: 'd', metric: 'if.in.bps', labels: { ifIndex: '1' }, from: T0, to: T0 + 7_200_000, stepS: 300 });
      assert.equal(five[0].tier, '5m');
      assert.equal(five[0].points.length, 24);
      assert.deepEqual(five[0].points[0], { ts: T0, value: 2, min: 0, max: 4 });
      const hour = s.querySeries({ deviceId: 'd', metric: 'if.in.bps', from: T0, to: T0 + 7_200_000, stepS: 3600 });
      assert.equal(hour.length, 2);
      const one = hour.find((x) => x.labels.ifIndex === '1')!;
      assert.deepEqual(one.points.map((p) => [p.min, p.value, p.max]), [[0, 29.5, 59], [60, 89.5, 119]]);
      const latest = s.latest('if.in.bps', 'd').sort((a, b) => a.labels.ifIndex.localeCompare(b.labels.ifIndex));
      assert.deepEqual(latest.map((l) => l.value), [119, 1000]);
      assert.deepEqual(s.latest('if.in.bps', undefined, { top: 1 }).map((l) => l.labels.ifIndex), ['2']);
      s.close();
    });

    test('retention removes each tier past its age', () => {
      const s = fresh();
      s.writeSamples([{ kind: 'sample', deviceId: 'd', metric: 'm', labels: {}, ts: T0, value: 1 }]);
      s.maintain(T0 + 8 * 86_400_000, { raw: 7, '5m': 90, '1h': 730 });
      assert.equal(s.querySeries({ deviceId: 'd', metric: 'm', from: T0 - 1, to: T0 + 1, tier: 'raw' })[0].points.length, 0);
      assert.equal(s.querySeries({ deviceId: 'd', metric: 'm', from: T0 - 1, to: T0 + 1, tier: '5m' })[0].points.length, 1);
      s.close();
    });

    test('tokens are found by hash only; audit and kv round trip', () => {
      const s = fresh();
      s.createToken({ id: 't1', name: 'ci', role: 'viewer', createdTs: 1 }, 'h1');
      assert.equal(s.findTokenByHash('h1')?.role, 'viewer');
      assert.equal(s.findTokenByHash('nope'), undefined);
      assert.equal(s.listTokens().length, 1);
      assert.equal(s.deleteToken('t1'), true);
      s.audit({ ts: 1, actor: 'me', action: 'x', details: { a: 1 } });
      assert.deepEqual(s.listAudit()[0].details, { a: 1 });
      s.setKv('k', { v: [1] });
      assert.deepEqual(s.getKv('k'), { v: [1] });
      s.close();
    });

    test('what was stored survives a restart', () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
      const a = open(dir);
      a.putDevice(device('keep'));
      a.writeSamples([{ kind: 'sample', deviceId: 'keep', metric: 'm', labels: {}, ts: T0, value: 42 }]);
      a.close();
      const b = open(dir);
      assert.equal(b.getDevice('keep')?.id, 'keep');
      assert.equal(b.latest('m')[0].value, 42);
      b.close();
    });
  });
}
