import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';

export const ROLES = ['all', 'collector', 'processor', 'api'] as const;
export type NodeRole = (typeof ROLES)[number];

/** This process's place in a deployment: what it runs and where (see docs/scale.md). */
export const nodeConfigSchema = z
  .object({
    /**
     * `all` (the default, one process); `collector` (ICMP, SNMP, traps, syslog: publishes records), `processor`
     * (store writer and event engine: consumes them), `api` (HTTP API and UI): any combination. `vigil start --role`.
     */
    roles: z.array(z.enum(ROLES)).min(1).default(['all']),
    /** A collector's site: it polls only the devices of its site (a device's `site`, default `default`). */
    site: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .default('default'),
    /** Unique per process in a deployment (default: host name and the HTTP port). */
    id: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/)
      .optional(),
    /** How often this node writes its heartbeat to the store (`vigil cluster status`). */
    heartbeatS: z.number().min(0.5).max(300).default(10),
    /** How often a node that is not `all` re-reads the devices from the shared store. */
    refreshS: z.number().min(0.1).max(3600).default(30),
  })
  .strict();

export type NodeConfig = z.infer<typeof nodeConfigSchema>;

/** What a node runs, from its roles. */
export function partsOf(roles: readonly NodeRole[]): { collectors: boolean; processors: boolean; api: boolean } {
  const all = roles.includes('all');
  return {
    collectors: all || roles.includes('collector'),
    processors: all || roles.includes('processor'),
    api: all || roles.includes('api'),
  };
}

/** The default node id: host name and HTTP port (unique for several nodes on one host), or a random suffix. */
export const defaultNodeId = (port: number) =>
  port ? `${hostname()}:${port}` : `${hostname()}-${randomBytes(4).toString('hex')}`;
