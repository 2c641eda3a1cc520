/** A test event for the notifier's tests: open, critical, from ICMP on device r1, its summary naming it. */
import type { VigilEvent } from '../model/events.ts';

export const testEvent = (id: string, extra: Partial<VigilEvent> = {}): VigilEvent => ({
  kind: 'event',
  id,
  dedupKey: `k:${id}`,
  source: 'icmp',
  deviceId: 'r1',
  severity: 'critical',
  state: 'open',
  firstSeen: 1,
  lastSeen: 1,
  count: 1,
  summary: `${id} is down`,
  ...extra,
});
