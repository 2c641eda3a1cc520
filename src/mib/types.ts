/**
 * The MIB dictionary as the rest of Vigil uses it (poller, trap receiver, api, cli).
 * Built by the compiler in this folder; records keep numeric OIDs and are translated when shown.
 */
export interface TranslatedOid {
  oid: string;
  /** `IF-MIB::ifInOctets.3`, or the numeric OID when unknown. */
  full: string;
  module?: string;
  name?: string;
  /** Instance part after the object, e.g. `3`, and its decoded index values when the table's INDEX is known. */
  instance?: string;
  index?: { name: string; value: string }[];
}

export interface MibDictionary {
  /** Numeric OID → names (longest known prefix). */
  translate(oid: string): TranslatedOid;
  /** `IF-MIB::ifInOctets.3`, `ifInOctets.3` or numeric → numeric OID, or undefined. */
  resolve(name: string): string | undefined;
  /** A value formatted from the object's syntax: enums `up(1)`, display hints, units. */
  formatValue(oid: string, value: string | number | null, type?: string): string;
}
