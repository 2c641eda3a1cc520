/**
 * Which topic each record kind crosses in, and which partition a record goes to: the key is the device (so that each
 * device's records stay in order, interface states with device states in one topic), or the sending address for
 * records not matched to a device.
 */
import type { BusRecord, RecordKind } from '../../model/records.ts';

export type TopicName = 'samples' | 'logs' | 'traps' | 'device-state' | 'events';

export const TOPIC_OF: Record<RecordKind, TopicName> = {
  sample: 'samples',
  'device-state': 'device-state',
  'interface-state': 'device-state',
  log: 'logs',
  trap: 'traps',
  event: 'events',
  topology: 'device-state',
  wireless: 'device-state',
};

export const ALL_TOPICS: readonly TopicName[] = ['samples', 'logs', 'traps', 'device-state', 'events'];

/** `vigil.vigil.logs`: the instance prefix, then `vigil.<topic>`. */
export const topicName = (instance: string, topic: TopicName) => `${instance}.vigil.${topic}`;
export const deadLetterTopic = (instance: string) => `${instance}.vigil.dead-letter`;

/** The topics that carry the given kinds (all when none are given). */
export function topicsFor(kinds: readonly RecordKind[] | undefined): TopicName[] {
  if (!kinds) return [...ALL_TOPICS];
  return [...new Set(kinds.map((k) => TOPIC_OF[k]))];
}

/** The record's partition key. */
export function keyOf(r: BusRecord): string {
  switch (r.kind) {
    case 'log':
      return r.deviceId ?? r.sourceAddress;
    case 'trap':
      return r.deviceId ?? r.agentAddress;
    case 'event':
      return r.deviceId ?? r.dedupKey;
    default:
      return r.deviceId;
  }
}

/** FNV-1a over the key's UTF-16 units: stable across processes and versions (every producer is Vigil). */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
