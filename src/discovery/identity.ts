/**
 * Is a found device one already known (pure)? The same address, the same SNMP engine ID, or the same system name with
 * the same chassis MAC: so a device reached through another of its addresses is not added twice.
 */
import { normName } from '../topology/identity.ts';
import { normMac } from '../topology/octets.ts';
import type { MatchReason, ProbeResult } from '../model/discovery.ts';

export interface KnownIdentity {
  id: string;
  addresses: readonly string[];
  sysName?: string;
  /** Chassis and interface MACs. */
  macs: readonly string[];
  engineId?: string;
}

export class IdentityIndex {
  private byAddress = new Map<string, string>();
  private byEngine = new Map<string, string>();
  private byNameMac = new Map<string, string>();

  constructor(known: Iterable<KnownIdentity> = []) {
    for (const k of known) this.add(k);
  }

  add(k: KnownIdentity): void {
    for (const a of k.addresses) if (!this.byAddress.has(a.toLowerCase())) this.byAddress.set(a.toLowerCase(), k.id);
    if (k.engineId && !this.byEngine.has(k.engineId)) this.byEngine.set(k.engineId.toLowerCase(), k.id);
    const name = normName(k.sysName)?.full;
    if (name)
      for (const m of k.macs) {
        const mac = normMac(m);
        if (mac && mac !== '00:00:00:00:00:00') this.byNameMac.set(`${name}|${mac}`, k.id);
      }
  }

  /** The known id this probe result is, and why; undefined when it is new. */
  match(p: ProbeResult): { id: string; reason: MatchReason } | undefined {
    const a = this.byAddress.get(p.address.toLowerCase());
    if (a) return { id: a, reason: 'address' };
    const e = p.engineId ? this.byEngine.get(p.engineId.toLowerCase()) : undefined;
    if (e) return { id: e, reason: 'engineId' };
    const name = normName(p.sysName)?.full;
    const mac = normMac(p.chassisMac);
    const nm = name && mac ? this.byNameMac.get(`${name}|${mac}`) : undefined;
    if (nm) return { id: nm, reason: 'sysName+mac' };
    return undefined;
  }
}

/** A probe result as an identity (for the job's own results: two addresses of one device are one find). */
export const identityOf = (id: string, p: ProbeResult): KnownIdentity => ({
  id,
  addresses: [p.address],
  ...(p.sysName ? { sysName: p.sysName } : {}),
  macs: p.chassisMac ? [p.chassisMac] : [],
  ...(p.engineId ? { engineId: p.engineId } : {}),
});
