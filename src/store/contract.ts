/**
 * The contract every Store backend passes: what callers (the api, the event engine, the notifier, the writer, the
 * CLI) rely on, written against the `Store` interface only. Backends call `storeContract(name, open)` from their own
 * test file; the domains' suites live in `contract/`, one file each.
 * `open(dir)` opens the backend's asynchronous `Store` on a directory (a second open of the same dir must see what the
 * first stored); it may answer with a promise, for a backend that connects before it can be used.
 * @example storeContract('sqlite', (dir) => openSqlite(dir));
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe } from 'node:test';
import { accessContract } from './contract/access.ts';
import { devicesContract } from './contract/devices.ts';
import { eventsContract } from './contract/events.ts';
import type { ContractSuite } from './contract/helpers.ts';
import { ingestContract } from './contract/ingest.ts';
import { interfacesContract } from './contract/interfaces.ts';
import { logSearchContract } from './contract/log-search.ts';
import { logsContract } from './contract/logs.ts';
import { notificationsContract } from './contract/notifications.ts';
import { rulesContract } from './contract/rules.ts';
import { samplesContract } from './contract/samples.ts';
import { sharingContract } from './contract/sharing.ts';
import { trapsContract } from './contract/traps.ts';
import { usersContract } from './contract/users.ts';
import type { Store } from './types.ts';

/** Every domain's suite, run in this order. */
const suites = {
  devices: devicesContract,
  interfaces: interfacesContract,
  samples: samplesContract,
  logs: logsContract,
  'log search': logSearchContract,
  traps: trapsContract,
  events: eventsContract,
  'rules and maintenance': rulesContract,
  notifications: notificationsContract,
  'users and sessions': usersContract,
  'tokens, audit and kv': accessContract,
  'batches stored once': ingestContract,
  'restarts, shared directories and transactions': sharingContract,
} satisfies Record<string, ContractSuite>;

export function storeContract(name: string, open: (dir: string) => Store | Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const dirs: string[] = [];
    const opened: Store[] = [];
    const tempDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
      dirs.push(dir);
      return dir;
    };
    const track = async (dir: string) => {
      const s = await open(dir);
      opened.push(s);
      return s;
    };
    const fresh = () => track(tempDir());
    // Tests need not close what they open (a failed assertion would leak it); closing twice must be harmless.
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    after(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });
    for (const [domain, suite] of Object.entries(suites)) describe(domain, () => suite(fresh, track, tempDir));
  });
}
