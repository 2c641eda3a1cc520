/** A port watch verdict: whether a port going down is an alarm, and why (events/port-watch.ts decides; the UI shows it). */

/**
 * all: every admin-up port that is down raises, even at the first poll (the user asked for it);
 * default: a watched port raises when it goes from up to down; none: never raises.
 */
export type PortWatchMode = 'all' | 'default' | 'none';

/** Why a port is (not) watched; the UI translates the code. */
export type PortWatchReason = 'rule-all' | 'rule-none' | 'config-all' | 'seen-up' | 'uplink' | 'alias' | 'never-up';

export interface PortVerdict {
  watched: boolean;
  mode: PortWatchMode;
  reason: PortWatchReason;
  /** The user rule that decided (its name, else its position from 1). */
  rule?: string;
}
