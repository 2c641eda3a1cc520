import { VigilError } from './errors.ts';
import { envNameFor } from './env.ts';

/**
 * The error for a port that cannot be bound, naming the setting and the environment variable that change it.
 * @example listenError(['syslog', 'udp', 'port'], 514, e) // "syslog.udp.port 514: address already in use (or needs root); set syslog.udp.port or VIGIL_SYSLOG_UDP_PORT"
 */
export function listenError(path: string[], port: number, error: NodeJS.ErrnoException): VigilError {
  const key = path.join('.');
  const why =
    error.code === 'EADDRINUSE' || error.code === 'EACCES'
      ? 'address already in use (or needs root)'
      : `cannot listen (${error.code ?? error.message})`;
  return new VigilError('VIGIL_PORT_IN_USE', `${key} ${port}: ${why}; set ${key} or ${envNameFor(path)}`);
}
