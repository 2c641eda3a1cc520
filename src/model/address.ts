/**
 * What Vigil accepts as a device or ping target address: an IPv4 address, an IPv6 address (with an optional zone such
 * as `%eth0`), or a DNS host name made of RFC 1123 labels (underscores allowed). Such a text never starts with `-` and holds no space or
 * control character, so a child process (fping) can never read it as an option, and the config and API refuse
 * anything else at the door instead of letting one device break a whole cycle.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The message shown for a refused address (after its path). */
export const HOST_ADDRESS_EXPECTED = 'expected an IP address or host name';

// RFC 1123 labels, plus `_`: not a host-name character, but DNS carries it and Windows and lab networks use it.
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const ZONE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Whether `text` is an IP address or a host name. @example isHostAddress('edge-1.example.net') // true; isHostAddress('-Z') // false */
export function isHostAddress(text: string): boolean {
  if (text.length === 0 || text.length > 254) return false;
  if (isIPv4(text)) return true;
  if (text.includes(':')) {
    const zoneAt = text.indexOf('%');
    const zone = zoneAt < 0 ? undefined : text.slice(zoneAt + 1);
    return isIPv6(text) && (zone === undefined || ZONE.test(zone));
  }
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  // An all-digit last label is a malformed IPv4 address (10.0.0.256, or "1", which resolvers read as 0.0.0.1), not a name.
  return labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/**
 * An IPv4 peer as a dual-stack socket names it (`::ffff:10.0.0.1`) → `10.0.0.1`, so that a sender has one address
 * whichever socket it came in on; any other text as given.
 * @example unmapIPv4('::ffff:10.0.0.1') // '10.0.0.1'; unmapIPv4('2001:db8::1') // '2001:db8::1'
 */
export function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}
