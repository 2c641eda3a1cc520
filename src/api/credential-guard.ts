import type { Device } from '../model/device.ts';
import { VigilError } from '../model/errors.ts';
import { roleAllows, type Principal } from './auth.ts';

const SECRET_FIELDS = ['community', 'authKey', 'privKey'] as const;

/**
 * Stored SNMP secrets (a credential profile, or a device's secrets kept behind `<secret>`) are sent only where an admin,
 * who manages them, has pointed them. An operator may add and test devices with credentials typed in clear, and may edit
 * a device that keeps its destination; sending stored secrets to a new address or port would let an operator read them
 * off the wire with a UDP listener of their own.
 * @example guardStoredSecrets(request.principal, next, current, request.body);
 */
export function guardStoredSecrets(
  principal: Principal | undefined,
  next: Pick<Device, 'address' | 'snmpProfile' | 'snmp'>,
  current?: Pick<Device, 'address' | 'snmpProfile' | 'snmp'>,
  body?: unknown,
): void {
  if (principal && roleAllows(principal.role, 'admin')) return;
  const moved =
    !current || next.address !== current.address || (next.snmp?.port ?? 161) !== (current.snmp?.port ?? 161);
  if (next.snmpProfile && (moved || next.snmpProfile !== current?.snmpProfile))
    throw new VigilError(
      'VIGIL_FORBIDDEN',
      `using credential profile "${next.snmpProfile}" with a new address or port needs the admin role (its secrets would be sent there); type the credentials in clear instead`,
    );
  if (!current || !moved || !next.snmp) return;
  const given = (body as { snmp?: Record<string, unknown> } | undefined)?.snmp ?? {};
  const kept = SECRET_FIELDS.filter(
    (k) => next.snmp?.[k] !== undefined && next.snmp[k] === current.snmp?.[k] && given[k] !== next.snmp[k],
  );
  if (kept.length)
    throw new VigilError(
      'VIGIL_FORBIDDEN',
      `moving a device to a new address or port with its stored ${kept.join(', ')} needs the admin role; send the credentials again in clear`,
    );
}
