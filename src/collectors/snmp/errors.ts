/** Maps net-snmp's failures to Vigil's stable SNMP error codes, with text a person can act on (pure). */
import { VigilError } from '../../model/errors.ts';
import type { SnmpCredentials } from '../../model/device.ts';

/**
 * @param what  context prefix, e.g. `device core-sw1 (10.0.0.1): walk 1.3.6.1.2.1.2.2`
 */
export function mapSnmpError(
  error: unknown,
  what: string,
  creds: Pick<SnmpCredentials, 'version' | 'timeoutMs' | 'retries'>,
): VigilError {
  if (error instanceof VigilError) return error;
  const err = error as (Error & { name?: string; code?: number | string; status?: number }) | undefined;
  const message = err?.message ?? String(error);
  const name = err?.name ?? '';
  if (name === 'RequestTimedOutError' || /timed? ?out/i.test(message)) {
    const total = creds.timeoutMs * (creds.retries + 1);
    const why =
      creds.version === 'v3'
        ? 'no answer (unreachable, or a wrong privacy password: agents drop what they cannot decrypt)'
        : 'timeout (wrong community or unreachable)';
    return new VigilError('VIGIL_SNMP_TIMEOUT', `${what}: ${why} after ${total} ms`);
  }
  if (name === 'ResponseInvalidError') {
    if (/Unknown Engine ID/i.test(message))
      return new VigilError('VIGIL_SNMP_UNKNOWN_ENGINE', `${what}: unknown engine ID (usmStatsUnknownEngineIDs)`);
    if (/Wrong Digest/i.test(message))
      return new VigilError(
        'VIGIL_SNMP_AUTH',
        `${what}: wrong authentication password or protocol (usmStatsWrongDigests)`,
      );
    if (/Unknown User Name/i.test(message))
      return new VigilError('VIGIL_SNMP_AUTH', `${what}: unknown user (usmStatsUnknownUserNames)`);
    if (/Decrypt/i.test(message))
      return new VigilError('VIGIL_SNMP_AUTH', `${what}: wrong privacy password or protocol (decryption error)`);
    if (/Unsupported Security Level/i.test(message))
      return new VigilError(
        'VIGIL_SNMP_AUTH',
        `${what}: security level not supported for this user (usmStatsUnsupportedSecLevels)`,
      );
    if (/Not In Time Window/i.test(message))
      return new VigilError('VIGIL_SNMP_AUTH', `${what}: not in time window (usmStatsNotInTimeWindows)`);
    if (/authentication|digest/i.test(message))
      return new VigilError('VIGIL_SNMP_AUTH', `${what}: response failed authentication: ${message}`);
    if (/Community/i.test(message)) return new VigilError('VIGIL_SNMP_AUTH', `${what}: ${message}`);
    return new VigilError('VIGIL_SNMP_ERROR', `${what}: invalid response: ${message}`);
  }
  if (name === 'RequestFailedError') return new VigilError('VIGIL_SNMP_ERROR', `${what}: agent answered ${message}`);
  const code = typeof err?.code === 'string' ? err.code : '';
  if (code === 'ERR_OSSL_EVP_UNSUPPORTED' || /digital envelope routines::unsupported/.test(message))
    return new VigilError(
      'VIGIL_SNMP_ERROR',
      `${what}: this Node's OpenSSL lacks the cipher (DES needs node --openssl-legacy-provider, e.g. NODE_OPTIONS=--openssl-legacy-provider)`,
    );
  if (/^(ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNREFUSED|EADDRNOTAVAIL)$/.test(code))
    return new VigilError('VIGIL_SNMP_UNREACHABLE', `${what}: ${code === 'ENOTFOUND' ? 'name not resolved' : code}`);
  return new VigilError('VIGIL_SNMP_ERROR', `${what}: ${message}`);
}
