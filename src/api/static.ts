import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);
// Inline styles are set by uPlot and React at run time; scripts come only from our own origin (no CDN).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

interface CachedFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  etag: string;
  mtimeMs: number;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Vigil</title><body style="font-family:sans-serif;padding:2em">
<h1>Vigil</h1><p>The web UI is not built. Run <code>npm run build:web</code> (or <code>npm install</code>), then reload.</p>
<p>The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>`;

/**
 * Serves the built web UI (web/dist) on the API's port: hashed files under /assets/ cached for a year,
 * index.html revalidated, every other non-API path answered with index.html so client-side routes reload.
 * @example registerWebUi(app, { distDir: fileURLToPath(new URL('../../web/dist', import.meta.url)) });
 */
export function registerWebUi(app: FastifyInstance, opts: { distDir: string }): void {
  const root = resolve(opts.distDir);
  const cache = new Map<string, CachedFile>();

  function load(file: string): CachedFile | undefined {
    let st;
    try {
      st = statSync(file);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit;
    const body = readFileSync(file);
    const ext = extname(file);
    const entry: CachedFile = {
      body,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
      mtimeMs: st.mtimeMs,
      ...(COMPRESSIBLE.has(ext) && body.length > 1024 ? { gzip: gzipSync(body, { level: 9 }) } : {}),
    };
    cache.set(file, entry);
    return entry;
  }

  function send(request: FastifyRequest, reply: FastifyReply, f: CachedFile, immutable: boolean) {
    reply.header('content-type', f.type);
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('etag', f.etag);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('vary', 'accept-encoding');
    if (f.type.startsWith('text/html')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'same-origin');
    }
    if (request.headers['if-none-match'] === f.etag) return reply.status(304).send();
    if (f.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip');
      return reply.send(f.gzip);
    }
    return reply.send(f.body);
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodeURIComponent(request.url.split('?')[0]);
    if (path === '/api' || path.startsWith('/api/')) {
      return reply
        .status(404)
        .send({ error: { code: 'VIGIL_NOT_FOUND', message: `no route ${request.method} ${path}` } });
    }
    const file = resolve(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return reply.status(404).send();
    const found = path !== '/' ? load(file) : undefined;
    if (found) return send(request, reply, found, path.startsWith('/assets/'));
    // A missing file with an extension is a real 404 (a stale asset); anything else is a client-side route.
    if (extname(path) && !path.endsWith('.html')) return reply.status(404).type('text/plain').send('not found');
    const index = load(join(root, 'index.html'));
    if (!index)
      return reply.status(200).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT);
    return send(request, reply, index, false);
  };
  app.get('/*', { config: { public: true }, schema: { hide: true } }, handler);
  app.get('/', { config: { public: true }, schema: { hide: true } }, handler);
}
