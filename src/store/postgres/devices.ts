import type { Device } from '../../model/device.ts';
import type { Async, DeviceStore } from '../types.ts';
import { interfacesMigration, interfacesRepo } from './devices-interfaces.ts';
import { deviceStatusMigration, deviceStatusRepo } from './devices-status.ts';
import { definePgDomain } from './domain.ts';

/**
 * Devices (inventory rows, the body as jsonb), their merged status (devices-status.ts) and interfaces with their
 * oper-status history (devices-interfaces.ts); mirrors ../sqlite/devices.ts. Text keys are binary-collated ("C"),
 * so names and ids sort as on SQLite whatever the database's locale.
 */
export const devicesPgDomain = definePgDomain<Async<DeviceStore>>({
  name: 'devices',
  migrations: [
    `CREATE TABLE devices (
       id text COLLATE "C" PRIMARY KEY, name text COLLATE "C" NOT NULL, address text NOT NULL, body jsonb NOT NULL,
       origin text NOT NULL
     );
     CREATE INDEX devices_address ON devices (address);
     ${deviceStatusMigration};
     ${interfacesMigration}`,
    // Each poll updates every interface row without changing its key: room on the page makes those updates HOT
    // (measured on the samples bench: 9,344 of 149,630 were HOT at fillfactor 100).
    `ALTER TABLE interfaces SET (fillfactor = 70);`,
  ],
  create(db) {
    return {
      listDevices: async () =>
        (await db.rows<{ body: Device }>('SELECT body FROM devices ORDER BY name, id')).map((r) => r.body),
      getDevice: async (id) => (await db.one<{ body: Device }>('SELECT body FROM devices WHERE id = $1', [id]))?.body,
      async putDevice(d) {
        await db.run(
          `INSERT INTO devices (id, name, address, body, origin) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, body = EXCLUDED.body,
             origin = EXCLUDED.origin`,
          [d.id, d.name, d.address, JSON.stringify(d), d.origin],
        );
      },
      // Its status and interfaces go with it (its interface history stays, as on SQLite).
      deleteDevice: async (id) =>
        (await db.run(
          `WITH s AS (DELETE FROM device_status WHERE device_id = $1), i AS (DELETE FROM interfaces WHERE device_id = $1)
           DELETE FROM devices WHERE id = $1`,
          [id],
        )) > 0,
      ...deviceStatusRepo(db),
      ...interfacesRepo(db),
    };
  },
});
