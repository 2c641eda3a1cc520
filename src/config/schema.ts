import { z } from 'zod';
import { httpConfigSchema } from './http.ts';
import { icmpConfigSchema } from '../collectors/icmp/config.ts';
import { snmpConfigSchema } from '../collectors/snmp/config.ts';
import { syslogConfigSchema } from '../collectors/syslog/config.ts';
import { trapConfigSchema } from '../collectors/trap/config.ts';
import { eventsConfigSchema } from '../events/config.ts';
import { syslogRuleSchema } from '../events/syslog-rules.ts';
import { trapRuleSchema } from '../events/trap-rules.ts';
import { mibConfigSchema } from '../mib/config.ts';
import { discoveryConfigSchema } from '../discovery/config.ts';
import { notifyConfigSchema } from '../notify/config.ts';
import { storeConfigSchema } from '../store/config.ts';
import { busConfigSchema } from '../bus/kafka/config.ts';
import { nodeConfigSchema } from './cluster.ts';
import { deviceSchema, snmpCredentialsSchema } from './inventory.ts';

/** The root schema: one schema per module, composed; defaults live beside each field. */
export const configSchema = z
  .object({
    dataDir: z.string().default('./vigil-data'),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info') })
      .strict()
      .prefault({}),
    http: httpConfigSchema.prefault({}),
    store: storeConfigSchema.prefault({}),
    bus: busConfigSchema.prefault({}),
    node: nodeConfigSchema.prefault({}),
    icmp: icmpConfigSchema.prefault({}),
    snmp: snmpConfigSchema.prefault({}),
    // The rules are the event engine's, kept under the section of the records they read (the collectors never see them).
    syslog: syslogConfigSchema
      .extend({
        /** Rules that raise and clear events from log lines (see src/events/syslog-rules.ts). */
        rules: z.array(syslogRuleSchema).default([]),
      })
      .prefault({}),
    traps: trapConfigSchema
      .extend({
        /** Trap rules that raise and clear events (src/events/trap-rules.ts); absent: the shipped defaults (linkDown/linkUp, coldStart/warmStart). */
        rules: z.array(trapRuleSchema).optional(),
      })
      .prefault({}),
    /** Discovery jobs: sweeps, credential trials, neighbour following, add rules (src/discovery). */
    discovery: discoveryConfigSchema.prefault({}),
    mib: mibConfigSchema.prefault({}),
    events: eventsConfigSchema.prefault({}),
    notify: notifyConfigSchema.prefault({}),
    /** Named SNMP credential profiles shared by many devices. */
    credentials: z.record(z.string(), snmpCredentialsSchema).default({}),
    devices: z.array(deviceSchema).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    // One record must always fit one Kafka message: a log line is at most its message and its raw bytes in base64
    // (about 2.4 times syslog.maxMessageBytes), a trap at most its 64 KB datagram twice (decoded and as received).
    const k = c.bus.kind === 'kafka' ? c.bus.kafka : undefined;
    const needed = Math.max(3 * c.syslog.maxMessageBytes, 3 * 65_536) + 4096;
    if (k && k.producer.maxMessageBytes < needed)
      ctx.addIssue({
        code: 'custom',
        path: ['bus', 'kafka', 'producer', 'maxMessageBytes'],
        message: `at least ${needed} bytes, so that one record always fits one message (3 × syslog.maxMessageBytes, and traps)`,
      });
    c.devices.forEach((d, i) => {
      if (d.snmpProfile && !c.credentials[d.snmpProfile])
        ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'snmpProfile'],
          message: `no credential profile named "${d.snmpProfile}" in credentials`,
        });
      if (d.snmpProfile && d.snmp)
        ctx.addIssue({ code: 'custom', path: ['devices', i], message: 'give snmpProfile or snmp, not both' });
    });
  });

export type VigilConfig = z.infer<typeof configSchema>;
