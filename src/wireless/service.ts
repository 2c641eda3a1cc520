/**
 * The wireless service (on the processors): consumes controllers' snapshots, raises "AP down" when an AP that was up
 * is not, or left its controller, and clears it when the AP is back; an AP retired on purpose is forgotten.
 */
import type { Bus, Subscription } from '../bus/types.ts';
import type { Logger } from '../model/logger.ts';
import type { BusRecord, Severity, WirelessRecord } from '../model/records.ts';
import type { EventSignal } from '../model/signal.ts';
import type { Store } from '../store/types.ts';
import { type ApChange, apChanges, type KnownAp } from './changes.ts';

/** Per controller: the APs seen (KnownAp[]) and the APs retired (ids). */
export const knownApsKey = (deviceId: string) => `wireless-known.${deviceId}`;
export const retiredApsKey = (deviceId: string) => `wireless-retired.${deviceId}`;

export interface WirelessServiceOptions {
  store: Pick<Store, 'getKv' | 'setKv' | 'transaction'>;
  bus: Bus;
  log: Logger;
  raise: (signal: EventSignal) => Promise<unknown>;
  severity: Severity;
}

export interface WirelessService {
  start(): void;
  stop(): Promise<void>;
  process(records: WirelessRecord[]): Promise<void>;
  /** Forgets an AP removed on purpose: no event for it, no row for it; its open event is cleared. */
  retire(deviceId: string, apId: string, ts: number): Promise<boolean>;
}

const dedupKey = (deviceId: string, apId: string) => `ap-down:${deviceId}:${apId}`;

export function createWirelessService(opts: WirelessServiceOptions): WirelessService {
  const { store, log } = opts;
  let sub: Subscription | undefined;

  function signal(deviceId: string, c: ApChange, ts: number): EventSignal {
    const base = {
      source: 'snmp' as const,
      ts,
      deviceId,
      component: `AP ${c.ap.name}`,
      dedupKey: dedupKey(deviceId, c.ap.id),
      details: { ap: c.ap.id, name: c.ap.name, ...(c.stateRaw ? { state: c.stateRaw } : {}) },
    };
    if (c.change === 'up') return { ...base, action: 'clear', severity: 'info', summary: `AP ${c.ap.name} is up` };
    return {
      ...base,
      action: 'raise',
      severity: opts.severity,
      summary:
        c.change === 'gone'
          ? `AP ${c.ap.name} left its controller`
          : `AP ${c.ap.name} down${c.stateRaw ? ` (${c.stateRaw})` : ''}`,
    };
  }

  async function process(records: WirelessRecord[]): Promise<void> {
    for (const r of records) {
      try {
        const retired = new Set((await store.getKv<string[]>(retiredApsKey(r.deviceId))) ?? []);
        const before = new Map(((await store.getKv<KnownAp[]>(knownApsKey(r.deviceId))) ?? []).map((a) => [a.id, a]));
        const { changes, known } = apChanges(before, r.snapshot, r.ts, retired);
        await store.setKv(knownApsKey(r.deviceId), [...known.values()]);
        for (const c of changes) await opts.raise(signal(r.deviceId, c, r.ts));
      } catch (e) {
        log.warn({ device: r.deviceId, err: (e as Error).message }, 'wireless changes could not be recorded');
      }
    }
  }

  return {
    start() {
      sub = opts.bus.subscribe('vigil-wireless', (batch: BusRecord[]) => process(batch as WirelessRecord[]), {
        kinds: ['wireless'],
        maxBatch: 20,
      });
    },
    async stop() {
      sub?.unsubscribe();
    },
    process,
    async retire(deviceId, apId, ts) {
      const known = await store.transaction(async (tx) => {
        const list = (await tx.getKv<KnownAp[]>(knownApsKey(deviceId))) ?? [];
        const ap = list.find((a) => a.id === apId);
        if (!ap) return undefined;
        await tx.setKv(
          knownApsKey(deviceId),
          list.filter((a) => a.id !== apId),
        );
        const retired = new Set((await tx.getKv<string[]>(retiredApsKey(deviceId))) ?? []);
        retired.add(apId);
        await tx.setKv(retiredApsKey(deviceId), [...retired]);
        return ap;
      });
      if (!known) return false;
      await opts.raise({
        action: 'clear',
        dedupKey: dedupKey(deviceId, apId),
        source: 'snmp',
        ts,
        deviceId,
        severity: 'info',
        summary: `AP ${known.name} retired`,
      });
      return true;
    },
  };
}
