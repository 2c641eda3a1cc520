import { z } from 'zod';
import { secret } from '../../model/secret.ts';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../../model/device.ts';

const hexEngineId = z
  .string()
  .transform((s) => s.replace(/^0x/i, '').replace(/[:\s]/g, '').toLowerCase())
  .refine((s) => /^([0-9a-f]{2}){5,32}$/.test(s), 'expected 5 to 32 bytes of hex, e.g. 0x80001f8880aabbccdd');

/** One SNMPv3 USM user the receiver accepts notifications from. */
export const trapUserSchema = z
  .object({
    user: z.string().min(1).max(32),
    authProtocol: z.enum(AUTH_PROTOCOLS as [string, ...string[]]).optional(),
    authKey: secret().optional(),
    privProtocol: z.enum(PRIV_PROTOCOLS as [string, ...string[]]).optional(),
    privKey: secret().optional(),
    /** The sending engine's ID (hex) for traps; absent: any engine ID is accepted and keys are localized per engine. */
    engineId: hexEngineId.optional(),
    /** Least security level accepted; default the strongest this entry has keys for. */
    securityLevel: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).optional(),
  })
  .strict()
  .superRefine((u, ctx) => {
    if (u.authProtocol && (!u.authKey || u.authKey.length < 8))
      ctx.addIssue({ code: 'custom', path: ['authKey'], message: 'required with authProtocol, at least 8 characters' });
    if (u.authKey && !u.authProtocol)
      ctx.addIssue({ code: 'custom', path: ['authProtocol'], message: 'required with authKey' });
    if (u.privProtocol && !u.authProtocol)
      ctx.addIssue({ code: 'custom', path: ['authProtocol'], message: 'privacy needs authentication' });
    if (u.privProtocol && (!u.privKey || u.privKey.length < 8))
      ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'required with privProtocol, at least 8 characters' });
    if (u.privKey && !u.privProtocol)
      ctx.addIssue({ code: 'custom', path: ['privProtocol'], message: 'required with privKey' });
    if (u.securityLevel === 'authPriv' && !u.privProtocol)
      ctx.addIssue({ code: 'custom', path: ['securityLevel'], message: 'authPriv needs privProtocol and privKey' });
    if (u.securityLevel === 'authNoPriv' && !u.authProtocol)
      ctx.addIssue({ code: 'custom', path: ['securityLevel'], message: 'authNoPriv needs authProtocol and authKey' });
  });

/**
 * Trap receiver. The trap module owns and extends this schema.
 * Secure by default: with no `communities` and `acceptAnyCommunity: false`, v1/v2c notifications are counted and
 * dropped (reason `bad-community`), and v3 ones are accepted only from the configured `users`.
 */
export const trapConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(162),
    /** IPv6 address also listened on (same port); empty string: IPv4 only. Unavailable IPv6 is logged, not fatal. */
    host6: z.string().default('::'),
    /** v1/v2c communities accepted. */
    communities: z.array(secret()).default([]),
    /** Accept any v1/v2c community (lab use). Off by default so that no community is accepted silently. */
    acceptAnyCommunity: z.boolean().default(false),
    /** SNMPv3 USM users; many, each with its own protocols and keys. */
    users: z.array(trapUserSchema).default([]),
    /** This receiver's own engine ID (hex), used for v3 informs; default derived from the host name and kept in the store. */
    engineId: hexEngineId.optional(),
    /** Kernel receive buffer asked for, to ride out bursts (capped by net.core.rmem_max). */
    receiveBufferBytes: z
      .number()
      .int()
      .min(65_536)
      .default(8 * 1024 * 1024),
    /** Distinct source addresses tracked in the drop counters before further ones are lumped under "other". */
    maxTrackedSources: z.number().int().min(1).default(1000),
    /** Stored traps older than this (by received time) are removed by the store's hourly maintenance. */
    retentionDays: z.number().positive().default(90),
  })
  .strict();
export type TrapConfig = z.infer<typeof trapConfigSchema>;
export type TrapUserConfig = z.infer<typeof trapUserSchema>;
