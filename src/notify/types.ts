import type { VigilEvent } from '../model/events.ts';

export type MessageKind = 'raise' | 'clear' | 'renotify' | 'escalation' | 'test' | 'digest';

/** What happened to an event during a digest period; `cleared` is set only while the event's latest state is cleared. */
export type DigestChange = 'opened' | 'renotified' | 'escalated' | 'cleared';

/** An event as a message carries it: a snapshot, with the device's name, and (digests only) what happened to it. */
export type MessageEvent = VigilEvent & { deviceName?: string; changes?: DigestChange[] };

/** Counts of a digest, over its events (each event counted once per change). */
export interface DigestSummary {
  /** When the period began: the last message sent on this channel and route. */
  since: number;
  opened: number;
  cleared: number;
  /** Opened in this period and not cleared. */
  stillOpen: number;
  renotified: number;
  escalated: number;
}

/** One outgoing notification: one or many events (a storm grouped into one message, or a digest of a period). */
export interface NotificationMessage {
  kind: MessageKind;
  ts: number;
  events: MessageEvent[];
  /** Set on kind `digest` only. */
  digest?: DigestSummary;
}

/** What a channel reports back about one attempt. */
export interface SendResult {
  status?: number;
}

/** A channel type: validates its config, builds and sends; one folder each. */
export interface ChannelDriver<C> {
  type: string;
  send(channel: C, message: NotificationMessage): Promise<SendResult>;
  /** Every secret string in the channel, to scrub from error messages. */
  secrets(channel: C): string[];
}
