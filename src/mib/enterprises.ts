/**
 * IANA Private Enterprise Numbers (1.3.6.1.4.1.N) of common network, server, storage and power
 * vendors, and the vendor a sysObjectID names. Names are short display names, not IANA's legal ones.
 */
export const ENTERPRISES: Readonly<Record<number, string>> = {
  2: 'IBM',
  9: 'Cisco',
  11: 'HPE (Hewlett-Packard)',
  23: 'Novell',
  36: 'DEC',
  42: 'Oracle (Sun)',
  43: '3Com',
  45: 'Nortel (SynOptics)',
  94: 'Nokia',
  116: 'Hitachi',
  119: 'NEC',
  171: 'D-Link',
  193: 'Ericsson',
  207: 'Allied Telesis',
  211: 'Fujitsu',
  232: 'HPE (Compaq)',
  311: 'Microsoft',
  318: 'APC',
  476: 'Vertiv (Liebert)',
  534: 'Eaton (Powerware)',
  637: 'Alcatel-Lucent',
  674: 'Dell',
  705: 'Schneider Electric (MGE, Merlin Gerin)',
  789: 'NetApp (Network Appliance)',
  800: 'Alcatel-Lucent (Xylan)',
  890: 'ZyXEL',
  1139: 'Dell EMC',
  1271: 'Ciena',
  1588: 'Brocade',
  1751: 'Lucent',
  1872: 'Radware (Alteon)',
  1916: 'Extreme Networks',
  1991: 'Brocade (Foundry)',
  2011: 'Huawei',
  2021: 'Net-SNMP (UC Davis)',
  2272: 'Avaya (Nortel, Rapid City)',
  2352: 'Ericsson (Redback)',
  2356: 'LANCOM Systems',
  2544: 'Adva Optical',
  2620: 'Check Point',
  2636: 'Juniper',
  3076: 'Cisco (Altiga)',
  3224: 'Juniper (NetScreen)',
  3375: 'F5 Networks',
  3417: 'Blue Coat (CacheFlow)',
  3902: 'ZTE',
  3955: 'Linksys',
  4329: 'Siemens',
  4413: 'Broadcom',
  4526: 'Netgear',
  4874: 'Juniper (Unisphere)',
  5624: 'Enterasys',
  5951: 'Citrix (NetScaler)',
  6027: 'Dell (Force10)',
  6141: 'Ciena (World Wide Packets)',
  6486: 'Alcatel-Lucent Enterprise',
  6527: 'Nokia (Timetra)',
  6574: 'Synology',
  6876: 'VMware',
  6889: 'Avaya',
  7779: 'Infoblox',
  8072: 'Net-SNMP',
  8741: 'SonicWall',
  9148: 'Oracle (Acme Packet)',
  10002: 'Ubiquiti (Frogfoot)',
  10418: 'Avocent',
  11863: 'TP-Link',
  12356: 'Fortinet',
  13742: 'Raritan',
  14179: 'Cisco (Airespace)',
  14525: 'Trapeze Networks',
  14823: 'Aruba',
  14988: 'MikroTik',
  17163: 'Riverbed',
  19046: 'Lenovo',
  21239: 'Geist',
  24681: 'QNAP',
  25053: 'Ruckus',
  25461: 'Palo Alto Networks',
  25506: 'H3C',
  26928: 'Aerohive',
  29671: 'Cisco Meraki',
  30065: 'Arista',
  30803: 'Vyatta',
  33049: 'Mellanox',
  41112: 'Ubiquiti',
  47196: 'HPE (Hewlett Packard Enterprise)',
};

const PREFIX = '1.3.6.1.4.1.';

/** The IANA enterprise number in a sysObjectID, or undefined when it is not under enterprises. */
export function enterpriseNumber(sysObjectId: string): number | undefined {
  const oid = sysObjectId.trim().replace(/^\./, '');
  if (!oid.startsWith(PREFIX)) return undefined;
  const n = Number(oid.slice(PREFIX.length).split('.')[0]);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * The vendor a sysObjectID names, or undefined when its enterprise number is not known.
 * @example vendorFromSysObjectId('1.3.6.1.4.1.9.1.617') // 'Cisco'
 */
export function vendorFromSysObjectId(sysObjectId: string | undefined): string | undefined {
  if (!sysObjectId) return undefined;
  const n = enterpriseNumber(sysObjectId);
  return n === undefined ? undefined : ENTERPRISES[n];
}
