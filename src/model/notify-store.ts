/** Store domain of notifications: channels, routes, and the log of every delivery attempt. */

/** A channel as stored (its type's schema validates it; secrets are inside). */
export interface StoredChannel {
  id: string;
  type: string;
  [key: string]: unknown;
}
export interface StoredRoute {
  id: string;
  [key: string]: unknown;
}

export interface DeliveryAttempt {
  id?: number;
  ts: number;
  channelId: string;
  channelType: string;
  /** raise, clear, renotify, escalation, test, digest */
  kind: string;
  eventIds: string[];
  attempt: number;
  ok: boolean;
  /** HTTP status or SMTP response code. */
  status?: number;
  /** Never contains secrets: URLs and credentials are redacted before logging. */
  error?: string;
  durationMs: number;
  /** The attempt will be retried. */
  willRetry?: boolean;
}

export interface NotifyStore {
  listChannels(): StoredChannel[];
  getChannel(id: string): StoredChannel | undefined;
  putChannel(c: StoredChannel): void;
  deleteChannel(id: string): boolean;
  listRoutes(): StoredRoute[];
  getRoute(id: string): StoredRoute | undefined;
  putRoute(r: StoredRoute): void;
  deleteRoute(id: string): boolean;
  logDelivery(d: DeliveryAttempt): void;
  /** Newest first; `before` is a delivery id for paging. */
  listDeliveries(q?: { limit?: number; before?: number; channelId?: string; eventId?: string }): DeliveryAttempt[];
}
