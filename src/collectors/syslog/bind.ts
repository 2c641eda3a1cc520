/** Binding listeners with errors that tell the operator which setting to change. */
import type { Socket as UdpSocket } from 'node:dgram';
import type { Server } from 'node:net';
import { envNameFor } from '../../model/env.ts';
import { listenError } from '../../model/listen-error.ts';
import { unmapIPv4 } from '../../model/address.ts';
import { VigilError } from '../../model/errors.ts';

/** The VigilError for a failed bind of `syslog.<kind>` on host:port. */
export function bindError(
  kind: 'udp' | 'tcp' | 'tls',
  host: string,
  port: number,
  error: NodeJS.ErrnoException,
): VigilError {
  if (error.code === 'EADDRINUSE' || error.code === 'EACCES') return listenError(['syslog', kind, 'port'], port, error);
  const hostKey = `syslog.${kind}.host`;
  return new VigilError(
    'VIGIL_CONFIG',
    `${hostKey} ${host} port ${port}: cannot listen (${error.code ?? error.message}); set ${hostKey} or ${envNameFor(['syslog', kind, 'host'])}`,
  );
}

export function listenTcp(server: Server, kind: 'tcp' | 'tls', host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(bindError(kind, host, port, e));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    });
  });
}

export function bindUdp(socket: UdpSocket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => reject(bindError('udp', host, port, e));
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

/** A sender's address as syslog names it: IPv4 unmapped (`::ffff:10.0.0.1` → `10.0.0.1`), `unknown` when the socket has none. */
export const normalizeAddress = (a: string | undefined): string => (a ? unmapIPv4(a) : 'unknown');
