/**
 * Port-name normalisation for matching a neighbour's port ID against interface names (pure): the usual vendor
 * abbreviations expanded (`Gi0/1` = `GigabitEthernet0/1`, `Eth1/19` = `Ethernet1/19`, `Te1/0/1` =
 * `Ten-GigabitEthernet1/0/1`), case and blanks ignored, Juniper `ge-0/0/0` forms kept, a MikroTik `bridge/ether1`
 * compared by its member port.
 */

/** Abbreviation or spelling (lowercase, no dashes) → canonical type name. */
const TYPE_ALIASES: Record<string, string> = {};
const CANONICAL: Record<string, string[]> = {
  gigabitethernet: ['gi', 'gig', 'gige', 'gigabitethernet'],
  tengigabitethernet: ['te', 'ten', 'tengig', 'tengige', 'tengigabitethernet', 'xge', 'xgigabitethernet'],
  twogigabitethernet: ['tw', 'twogigabitethernet', 'twogige'],
  fivegigabitethernet: ['fi', 'fivegigabitethernet', 'fivegige'],
  twentyfivegige: ['twe', 'twentyfivegige', 'twentyfivegigabitethernet', 'twentyfivegigethernet'],
  fortygigabitethernet: ['fo', 'fortygige', 'fortygigabitethernet', 'fgige', 'flge'],
  hundredgige: ['hu', 'hundredgige', 'hundredgigabitethernet', 'hge'],
  fourhundredgige: ['fh', 'fourhundredgige', 'fourhundredgigabitethernet'],
  fastethernet: ['fa', 'fas', 'fastethernet'],
  ethernet: ['e', 'et', 'eth', 'ether', 'ethernet'],
  portchannel: ['po', 'portchannel', 'portchnl', 'bridgeaggregation', 'bagg'],
  management: ['ma', 'mgmt', 'mgt', 'management', 'mgmteth'],
  vlan: ['vl', 'vlan', 'vlanif'],
  loopback: ['lo', 'loop', 'loopback'],
  tunnel: ['tu', 'tunnel'],
  serial: ['se', 'serial'],
  bundleether: ['be', 'bundleether'],
};
for (const [canon, aliases] of Object.entries(CANONICAL)) for (const a of aliases) TYPE_ALIASES[a] = canon;

/**
 * The comparable form of a port name: lowercase, blanks removed, the interface-type prefix expanded to its canonical
 * name. Juniper-style `xx-f/p/c` names are kept as they are (their prefix is the speed, not an abbreviation).
 */
export function normalisePort(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/\u0000+$/, '');
  if (/^[a-z]{2,4}-\d/.test(s)) return s;
  const m = /^([a-z][a-z-]*?)-?(\d.*)$/.exec(s);
  if (!m) return s;
  const canon = TYPE_ALIASES[m[1].replace(/-/g, '')];
  return canon ? canon + m[2] : m[1].replace(/-/g, '') + m[2];
}

/** A MikroTik bridge-port form `bridge…/member` reduced to the member; other names unchanged. */
const bridgeMember = (s: string) => s.replace(/^bridge[^/]*\//, '');

/** True when two port names denote the same port (after normalisation; MikroTik `bridge/ether1` = `ether1`). */
export function samePort(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const na = normalisePort(a);
  const nb = normalisePort(b);
  if (na === nb) return true;
  return normalisePort(bridgeMember(a.toLowerCase().trim())) === normalisePort(bridgeMember(b.toLowerCase().trim()));
}
