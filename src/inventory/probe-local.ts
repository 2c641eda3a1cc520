import type { SnmpSession } from '../collectors/snmp/session-types.ts';
import type { SnmpCredentials } from '../model/device.ts';

/** What Debian's snmpd answers out of the box (`rocommunity public localhost`). */
const LOCAL_AGENT: SnmpCredentials = { version: 'v2c', community: 'public', port: 161, timeoutMs: 500, retries: 0 };

/**
 * Looks for an SNMP agent on this machine so that a fresh Vigil polls its own host; undefined when none answers.
 * Only the loopback agent is probed, and only with the distribution's read-only default.
 */
export async function probeLocalAgent(
  open: (address: string, creds: SnmpCredentials) => SnmpSession,
): Promise<SnmpCredentials | undefined> {
  const session = open('127.0.0.1', LOCAL_AGENT);
  try {
    const [v] = await session.get(['1.3.6.1.2.1.1.2.0']);
    return v && v.value != null ? LOCAL_AGENT : undefined;
  } catch {
    return undefined;
  } finally {
    session.close();
  }
}
