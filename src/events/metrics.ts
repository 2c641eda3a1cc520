/**
 * Metric names rules may use without the store having seen them yet (the poller's catalogue, docs/collectors.md).
 * Rules on other metrics are accepted when the store already holds samples of that metric.
 */
export const KNOWN_METRICS = new Set([
  'icmp.loss.pct',
  'icmp.rtt.avg',
  'icmp.rtt.min',
  'icmp.rtt.max',
  'icmp.jitter',
  'icmp.up',
  'if.in.bps',
  'if.out.bps',
  'if.in.util.pct',
  'if.out.util.pct',
  'if.in.errors.ps',
  'if.out.errors.ps',
  'if.in.discards.ps',
  'if.out.discards.ps',
  'if.in.pps',
  'if.out.pps',
  'if.oper.status',
  'cpu.load.pct',
  'mem.used.pct',
  'storage.used.pct',
  'sys.uptime.s',
  'snmp.poll.ms',
]);
