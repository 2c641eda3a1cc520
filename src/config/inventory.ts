import { z } from 'zod';
import { HOST_ADDRESS_EXPECTED, isHostAddress } from '../model/address.ts';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../model/device.ts';
import { secret } from '../model/secret.ts';

const authProtocol = z.enum(AUTH_PROTOCOLS as [string, ...string[]]);
const privProtocol = z.enum(PRIV_PROTOCOLS as [string, ...string[]]);

/** SNMP credentials: v1/v2c with a community, or v3 USM. Used by devices and named profiles. */
export const snmpCredentialsSchema = z
  .object({
    version: z.enum(['v1', 'v2c', 'v3']).default('v2c'),
    community: secret().optional(),
    user: z.string().min(1).optional(),
    securityLevel: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).optional(),
    authProtocol: authProtocol.optional(),
    authKey: secret().optional(),
    privProtocol: privProtocol.optional(),
    privKey: secret().optional(),
    context: z.string().optional(),
    port: z.number().int().min(1).max(65535).default(161),
    timeoutMs: z.number().int().min(50).max(120_000).default(2000),
    retries: z.number().int().min(0).max(10).default(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.version !== 'v3') {
      if (!c.community)
        ctx.addIssue({ code: 'custom', path: ['community'], message: `required for SNMP ${c.version}` });
      return;
    }
    if (!c.user) ctx.addIssue({ code: 'custom', path: ['user'], message: 'required for SNMP v3' });
    const level = c.securityLevel ?? (c.privKey ? 'authPriv' : c.authKey ? 'authNoPriv' : 'noAuthNoPriv');
    if (level !== 'noAuthNoPriv') {
      if (!c.authProtocol) ctx.addIssue({ code: 'custom', path: ['authProtocol'], message: `required for ${level}` });
      if (!c.authKey || c.authKey.length < 8)
        ctx.addIssue({ code: 'custom', path: ['authKey'], message: `required for ${level}, at least 8 characters` });
    }
    if (level === 'authPriv') {
      if (!c.privProtocol) ctx.addIssue({ code: 'custom', path: ['privProtocol'], message: 'required for authPriv' });
      if (!c.privKey || c.privKey.length < 8)
        ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'required for authPriv, at least 8 characters' });
    }
  });

export const deviceSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore and dash only')
      .optional(),
    name: z.string().min(1),
    /** IP address or host name; never anything a child process (fping) could take for an option. */
    address: z.string().refine(isHostAddress, HOST_ADDRESS_EXPECTED),
    tags: z.array(z.string()).default([]),
    group: z.string().optional(),
    location: z.string().optional(),
    /** The site whose collectors poll it (`node.site`); absent: `default`. */
    site: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore and dash only')
      .optional(),
    parent: z.string().optional(),
    icmp: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    pollIntervalS: z.number().int().min(5).optional(),
    /** Name of an entry in `credentials`. */
    snmpProfile: z.string().optional(),
    snmp: snmpCredentialsSchema.optional(),
  })
  .strict();

export type DeviceConfig = z.infer<typeof deviceSchema>;
