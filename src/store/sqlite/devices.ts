import type { Device } from '../../model/device.ts';
import type { DeviceStore } from '../types.ts';
import type { DeviceStatus, InterfaceRow } from '../../model/stored.ts';
import { defineDomain } from './domain.ts';
import { compact, fromJson, toJson } from '../json.ts';

export const devicesDomain = defineDomain<DeviceStore>({
  name: 'devices',
  migrations: [
    `CREATE TABLE devices (id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, body TEXT NOT NULL, origin TEXT NOT NULL);
     CREATE INDEX devices_address ON devices(address);
     CREATE TABLE device_status (device_id TEXT PRIMARY KEY, body TEXT NOT NULL);
     CREATE TABLE interfaces (device_id TEXT NOT NULL, if_index INTEGER NOT NULL, body TEXT NOT NULL, oper_status INTEGER, updated_ts INTEGER NOT NULL, PRIMARY KEY (device_id, if_index)) WITHOUT ROWID;
     CREATE TABLE interface_changes (device_id TEXT NOT NULL, if_index INTEGER NOT NULL, ts INTEGER NOT NULL, from_status INTEGER, to_status INTEGER NOT NULL);
     CREATE INDEX interface_changes_dev ON interface_changes(device_id, ts DESC);`,
    // Whether a port was ever up: the event engine watches such ports, and remembers it across restarts.
    `ALTER TABLE interfaces ADD COLUMN seen_up INTEGER NOT NULL DEFAULT 0;
     UPDATE interfaces SET seen_up = 1 WHERE oper_status = 1
       OR EXISTS (SELECT 1 FROM interface_changes c WHERE c.device_id = interfaces.device_id AND c.if_index = interfaces.if_index AND (c.to_status = 1 OR c.from_status = 1));`,
    // Dry-runs replay every device's changes over a time range.
    `CREATE INDEX interface_changes_ts ON interface_changes(ts);`,
  ],
  create(db) {
    const list = db.prepare('SELECT body FROM devices ORDER BY name');
    const get = db.prepare('SELECT body FROM devices WHERE id = ?');
    const put = db.prepare(
      'INSERT INTO devices (id, name, address, body, origin) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, address=excluded.address, body=excluded.body, origin=excluded.origin',
    );
    const del = db.prepare('DELETE FROM devices WHERE id = ?');
    const delStatus = db.prepare('DELETE FROM device_status WHERE device_id = ?');
    const delIfs = db.prepare('DELETE FROM interfaces WHERE device_id = ?');
    const getStatus = db.prepare('SELECT body FROM device_status WHERE device_id = ?');
    const putStatus = db.prepare(
      'INSERT INTO device_status (device_id, body) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET body = excluded.body',
    );
    const listStatus = db.prepare('SELECT body FROM device_status');
    const getIf = db.prepare('SELECT body, oper_status FROM interfaces WHERE device_id = ? AND if_index = ?');
    const putIf = db.prepare(
      'INSERT INTO interfaces (device_id, if_index, body, oper_status, updated_ts, seen_up) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(device_id, if_index) DO UPDATE SET body=excluded.body, oper_status=excluded.oper_status, updated_ts=excluded.updated_ts, seen_up=MAX(interfaces.seen_up, excluded.seen_up)',
    );
    const listIfs = db.prepare('SELECT body, seen_up FROM interfaces WHERE device_id = ? ORDER BY if_index');
    const listIfStatuses = db.prepare(
      'SELECT device_id AS deviceId, if_index AS ifIndex, oper_status AS operStatus, seen_up AS seenUp FROM interfaces',
    );
    const addChange = db.prepare(
      'INSERT INTO interface_changes (device_id, if_index, ts, from_status, to_status) VALUES (?, ?, ?, ?, ?)',
    );
    const changesBetween = db.prepare(
      'SELECT device_id AS deviceId, if_index AS ifIndex, ts, from_status AS "from", to_status AS "to" FROM interface_changes WHERE ts >= ? AND ts <= ? ORDER BY ts, rowid LIMIT ?',
    );
    const listChanges = db.prepare(
      'SELECT if_index AS ifIndex, ts, from_status AS "from", to_status AS "to" FROM interface_changes WHERE device_id = ? AND (? IS NULL OR if_index = ?) ORDER BY ts DESC, rowid DESC LIMIT ?',
    );

    return {
      listDevices: () => list.all().map((r) => JSON.parse((r as { body: string }).body) as Device),
      getDevice(id) {
        const r = get.get(id) as { body: string } | undefined;
        return r ? (JSON.parse(r.body) as Device) : undefined;
      },
      putDevice(d) {
        put.run(d.id, d.name, d.address, JSON.stringify(d), d.origin);
      },
      deleteDevice(id) {
        delStatus.run(id);
        delIfs.run(id);
        return del.run(id).changes > 0;
      },
      applyDeviceStates(states) {
        for (const s of states) {
          const prev = fromJson<DeviceStatus>((getStatus.get(s.deviceId) as { body?: string } | undefined)?.body, {
            deviceId: s.deviceId,
          });
          const next: DeviceStatus = { ...prev };
          if (s.icmp)
            Object.assign(next, {
              icmpUp: s.icmp.up,
              icmpTs: s.ts,
              lossPct: s.icmp.lossPct,
              rttAvgMs: s.icmp.rttAvgMs,
            });
          if (s.snmp) {
            Object.assign(next, {
              snmpOk: s.snmp.ok,
              snmpErrorCode: s.snmp.errorCode,
              snmpError: s.snmp.error,
              snmpVersion: s.snmp.version,
              lastPollTs: s.ts,
            });
            if (s.snmp.system) next.system = { ...prev.system, ...s.snmp.system };
          }
          if (s.rebooted) next.lastRebootTs = s.ts;
          putStatus.run(s.deviceId, toJson(compact(next)));
        }
      },
      getStatus(id) {
        const r = getStatus.get(id) as { body: string } | undefined;
        return r ? (JSON.parse(r.body) as DeviceStatus) : undefined;
      },
      listStatuses: () => listStatus.all().map((r) => JSON.parse((r as { body: string }).body) as DeviceStatus),
      applyInterfaceStates(states) {
        for (const s of states) {
          const prev = getIf.get(s.deviceId, s.ifIndex) as { body: string; oper_status: number | null } | undefined;
          const { kind: _k, previousOperStatus: _p, ...rest } = s;
          const row: InterfaceRow = {
            ...fromJson<Partial<InterfaceRow>>(prev?.body, {}),
            ...compact(rest),
            updatedTs: s.ts,
          };
          if (prev && s.operStatus !== undefined && prev.oper_status !== null && prev.oper_status !== s.operStatus) {
            addChange.run(s.deviceId, s.ifIndex, s.ts, prev.oper_status, s.operStatus);
            row.lastChangeTs = s.ts;
          }
          putIf.run(
            s.deviceId,
            s.ifIndex,
            JSON.stringify(row),
            s.operStatus ?? prev?.oper_status ?? null,
            s.ts,
            s.operStatus === 1 ? 1 : 0,
          );
        }
      },
      listInterfaces: (deviceId) =>
        listIfs.all(deviceId).map((r) => {
          const { body, seen_up } = r as { body: string; seen_up: number };
          return { ...(JSON.parse(body) as InterfaceRow), seenUp: seen_up === 1 };
        }),
      listInterfaceStatuses: () =>
        (
          listIfStatuses.all() as { deviceId: string; ifIndex: number; operStatus: number | null; seenUp: number }[]
        ).map((r) => ({
          deviceId: r.deviceId,
          ifIndex: r.ifIndex,
          ...(r.operStatus !== null ? { operStatus: r.operStatus } : {}),
          seenUp: r.seenUp === 1,
        })),
      interfaceChangesBetween: (from, to, limit = 500_000) =>
        (
          changesBetween.all(from, to, limit) as {
            deviceId: string;
            ifIndex: number;
            ts: number;
            from: number | null;
            to: number;
          }[]
        ).map((r) => compact(r) as { deviceId: string; ifIndex: number; ts: number; from?: number; to: number }),
      listInterfaceChanges: (deviceId, ifIndex, limit = 100) =>
        (
          listChanges.all(deviceId, ifIndex ?? null, ifIndex ?? null, limit) as {
            ifIndex: number;
            ts: number;
            from: number | null;
            to: number;
          }[]
        ).map((r) => compact(r) as { ifIndex: number; ts: number; from?: number; to: number }),
    };
  },
});
