import type { VigilEvent } from '../events/types.ts';

export type MessageKind = 'raise' | 'clear' | 'renotify' | 'escalation' | 'test';

/** One outgoing notification: one or many events (a storm grouped into one message). */
export interface NotificationMessage {
  kind: MessageKind;
  ts: number;
  events: (VigilEvent & { deviceName?: string })[];
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
