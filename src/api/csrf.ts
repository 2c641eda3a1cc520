import type { FastifyRequest } from 'fastify';
import { VigilError } from '../model/errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request authenticated by cookie that a browser says came from another site. SameSite=Strict
 * already keeps the cookie off most of those; this is the second lock, for browsers or proxies that do not honour it.
 * Browsers send `Sec-Fetch-Site` (and `Origin` on every non-GET); programs that send neither are not browsers and
 * cannot be led by another site, so they pass. Behind a reverse proxy, `X-Forwarded-Host` (or a preserved `Host`)
 * must name the host the browser sees.
 */
export function checkSameOrigin(request: FastifyRequest): void {
  if (SAFE.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin' || site === 'none') return;
    throw new VigilError('VIGIL_FORBIDDEN', `cross-site request refused (Sec-Fetch-Site: ${site})`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    throw new VigilError('VIGIL_FORBIDDEN', 'cross-site request refused (unreadable Origin)');
  }
  const forwarded = request.headers['x-forwarded-host'];
  const host = (
    typeof forwarded === 'string' ? forwarded.split(',')[0].trim() : (request.headers.host ?? '')
  ).toLowerCase();
  if (originHost !== host)
    throw new VigilError('VIGIL_FORBIDDEN', `cross-site request refused (Origin ${origin} is not ${host})`);
}
