/**
 * The vendor a sysObjectID names, from IANA's Private Enterprise Numbers (1.3.6.1.4.1.N): a short display name for
 * common network, server, storage and power vendors (the table below), else the organization IANA registered the
 * number to, from the copy of the whole registry shipped in data/enterprises.txt.gz (scripts/build-enterprises.mjs).
 * And the model, when a product MIB in the dictionary names the sysObjectID itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { MibDictionary, MibNode } from './types.ts';

/** Short display names for common vendors, which win over IANA's legal names. */
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

const DATA = 'data/enterprises.txt.gz';

/**
 * Where the registry copy is: beside this module (src/mib/, or dist/mib/ when the build copied it), else in the
 * package's src/mib/ as seen from dist/mib/ (tsc copies no data files), as for the built-in MIBs.
 */
export function enterpriseRegistryFile(): string | undefined {
  for (const url of [new URL(`./${DATA}`, import.meta.url), new URL(`../../src/mib/${DATA}`, import.meta.url)]) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * The registry as loaded: its text (UTF-8 lines `[number]<TAB>organization`, outside the JS heap) and, per line, the
 * number and where its organization starts, sorted by number. About 2 MB for 62,000 organizations; no string is made
 * until a number is looked up.
 */
interface Registry {
  text: Buffer;
  numbers: Uint32Array;
  starts: Uint32Array;
}

// undefined: not loaded yet; null: missing or unreadable (the short names still answer).
let registry: Registry | null | undefined;

/** Reads a registry file's text: `number<TAB>organization` lines, the number left out when it is the previous one + 1. */
export function parseEnterpriseRegistry(text: Buffer): Registry {
  const TAB = 9;
  const NL = 10;
  let lines = 0;
  for (let at = text.indexOf(NL); at >= 0; at = text.indexOf(NL, at + 1)) lines++;
  if (text.length && text[text.length - 1] !== NL) lines++;
  const numbers = new Uint32Array(lines);
  const starts = new Uint32Array(lines);
  let count = 0;
  let previous = -1;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf(NL, at);
    if (end < 0) end = text.length;
    const tab = text.indexOf(TAB, at);
    if (tab >= 0 && tab < end) {
      let n = previous + 1;
      if (tab > at) {
        n = 0;
        for (let i = at; i < tab; i++) {
          const digit = text[i] - 48;
          if (digit < 0 || digit > 9) throw new Error(`not a number at byte ${at}`);
          n = n * 10 + digit;
        }
      }
      if (n <= previous) throw new Error(`number ${n} out of order at byte ${at}`);
      numbers[count] = n;
      starts[count++] = tab + 1;
      previous = n;
    }
    at = end + 1;
  }
  return { text, numbers: numbers.subarray(0, count), starts: starts.subarray(0, count) };
}

function loadRegistry(): Registry | null {
  const file = enterpriseRegistryFile();
  try {
    if (!file) throw new Error(`${DATA} not found`);
    return parseEnterpriseRegistry(gunzipSync(readFileSync(file)));
  } catch (e) {
    process.emitWarning(
      `IANA enterprise registry unavailable (${e instanceof Error ? e.message : String(e)}): vendors only for common ones`,
      { code: 'VIGIL_ENTERPRISES' },
    );
    return null;
  }
}

/** How many organizations the shipped registry has (0 when it could not be read); loads it. */
export function enterpriseRegistrySize(): number {
  registry ??= loadRegistry();
  return registry?.numbers.length ?? 0;
}

/**
 * The organization IANA registered an enterprise number to, as IANA writes it (spaces collapsed), or undefined.
 * @example ianaOrganization(4881) // 'Ruijie Networks Co., Ltd.'
 */
export function ianaOrganization(n: number): string | undefined {
  registry ??= loadRegistry();
  if (!registry) return undefined;
  const { numbers, starts, text } = registry;
  let lo = 0;
  let hi = numbers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (numbers[mid] < n) lo = mid + 1;
    else if (numbers[mid] > n) hi = mid - 1;
    else {
      const end = text.indexOf(10, starts[mid]);
      return text.toString('utf8', starts[mid], end < 0 ? text.length : end);
    }
  }
  return undefined;
}

// A legal form at the end of a name, after a space or comma (case-insensitive): `, Inc.`, ` Co.,Ltd.`, ` GmbH`…
const LEGAL_FORM = new RegExp(
  `^[\\s,]+(?:${[
    '(?:co|corp)\\.?,?\\s*(?:ltd\\.?|limited)',
    '(?:pvt|pty|pte|private)\\.?\\s*(?:ltd\\.?|limited)',
    'inc\\.?',
    'incorporated',
    'ltd[a.]?\\.?',
    'limited',
    'l\\.?l\\.?[cp]\\.?',
    'l\\.p\\.',
    'plc\\.?',
    'corporation',
    'corp\\.?',
    'co\\.',
    '(?:gmbh|ag)\\s*&\\s*co\\.?(?:\\s*(?:kgaa|kg|ohg))?',
    'gmbh',
    'mbh',
    'ag\\.?',
    'kgaa',
    'e\\.\\s?v\\.',
    's\\.?\\s?a\\.?\\s?s\\.?',
    's\\.?\\s?a\\.?\\s?r\\.?\\s?l\\.?',
    '(?:spol\\.?\\s?)?s\\.?\\s?r\\.?\\s?[lo]\\.?',
    's\\.?\\s?p\\.?\\s?a\\.?',
    's\\.?\\s?a\\.?',
    's\\.l\\.',
    's\\.?\\s?a\\.?\\s?de\\s?c\\.?\\s?v\\.?',
    'sp\\.?\\s?z\\s?o\\.?\\s?o\\.?',
    '(?:ges\\.?\\s?)?m\\.\\s?b\\.\\s?h\\.?',
    'd\\.d\\.',
    'a\\.s\\.',
    'd\\.o\\.o\\.?',
    'sdn\\.?\\s*bhd\\.?',
    'b\\.?\\s?v\\.?',
    'n\\.?\\s?v\\.?',
    'a\\.?b',
    'a/s',
    'asa',
    'as',
    'oy',
    'k\\.k\\.',
  ].join('|')})[\\s,]*$`,
  'i',
);
// What a name must not be left ending with: `Smith &` from `Smith & Co.`.
const DANGLING = /(?:^.?$|[&+/-]$|\b(?:and|of|the|und|et|y)$)/i;

/**
 * An organization's name for display: trimmed, spaces collapsed, legal forms at the end left out; the rest as written.
 * @example displayOrganization('Sangfor Technologies Co.,Ltd.') // 'Sangfor Technologies'
 */
export function displayOrganization(name: string): string {
  let out = name.replace(/\s+/g, ' ').trim();
  for (let round = 0; round < 3; round++) {
    // The longest legal ending that leaves a name (`Mitsui & Co., Ltd.` loses `, Ltd.`, not `Co., Ltd.`).
    let cut = -1;
    for (let at = out.search(/[\s,]/); at > 0; at = nextBreak(out, at)) {
      if (!LEGAL_FORM.test(out.slice(at))) continue;
      const rest = out.slice(0, at).replace(/[\s,]+$/, '');
      if (DANGLING.test(rest)) continue;
      cut = rest.length;
      break;
    }
    if (cut < 0) break;
    out = out.slice(0, cut);
  }
  return out;
}

/** The next space or comma after the run of them at `at`, or -1. */
function nextBreak(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === ',')) i++;
  const next = text.slice(i).search(/[\s,]/);
  return next < 0 ? -1 : i + next;
}

/**
 * The display name of an enterprise number: the short name when the table has one, else IANA's, tidied.
 * @example enterpriseName(35047) // 'Sangfor Technologies'
 */
export function enterpriseName(n: number): string | undefined {
  const short = ENTERPRISES[n];
  if (short) return short;
  const registered = ianaOrganization(n);
  return registered === undefined ? undefined : displayOrganization(registered) || undefined;
}

/**
 * The vendor a sysObjectID names, or undefined when its enterprise number is not assigned.
 * @example vendorFromSysObjectId('1.3.6.1.4.1.9.1.617') // 'Cisco'
 */
export function vendorFromSysObjectId(sysObjectId: string | undefined): string | undefined {
  if (!sysObjectId) return undefined;
  const n = enterpriseNumber(sysObjectId);
  return n === undefined ? undefined : enterpriseName(n);
}

/**
 * What the model lookup needs of a MIB dictionary: `translate` (any MibDictionary: its primary name for the OID) and,
 * when it has it (MibDictionaryImpl), `namesAt` (every name of the OID, the one snmptranslate shows first, and kinds).
 */
export type ProductDictionary = Pick<MibDictionary, 'translate'> & {
  namesAt?(oid: string): readonly Pick<MibNode, 'name' | 'module' | 'kind'>[];
};

const UNDER_AN_ENTERPRISE = /^1\.3\.6\.1\.4\.1\.\d+(\.\d+)+$/;
// Names of branches that group products rather than name one: `ciscoProducts`, `jnxProductName`, `netSnmpAgentOIDs`,
// a module's identity (`ciscoProductsMIB`).
const GENERIC =
  /^(?:enterprises|private|products?)$|(?:Products?|ProductNames?|Models|Registrations?|OIDs|Modules?|MIB|Objects)$/;

/**
 * The model a sysObjectID names: the product MIB's name for exactly that OID (`cisco5500Wlc` for
 * 1.3.6.1.4.1.9.1.1069 with CISCO-PRODUCTS-MIB), or undefined when no MIB names it, or the name is a branch (the
 * enterprise itself, a products or module node) rather than a product.
 * @example modelFromSysObjectId('1.3.6.1.4.1.9.1.617', dictionary) // 'catalyst3560G48TS'
 */
export function modelFromSysObjectId(
  sysObjectId: string | undefined,
  dictionary: ProductDictionary | undefined,
): string | undefined {
  if (!sysObjectId || !dictionary) return undefined;
  const oid = sysObjectId.trim().replace(/^\./, '');
  if (!UNDER_AN_ENTERPRISE.test(oid)) return undefined;
  let name: string | undefined;
  if (dictionary.namesAt) {
    const first = dictionary.namesAt(oid)[0];
    // Products are OBJECT IDENTIFIER values or OBJECT-IDENTITYs; an object, table or module identity is no model.
    if (first && (first.kind === 'node' || first.kind === 'identity')) name = first.name;
  } else {
    const t = dictionary.translate(oid);
    if (t.oid === oid && t.name && t.instance === undefined) name = t.name;
  }
  return name && !GENERIC.test(name) ? name : undefined;
}
