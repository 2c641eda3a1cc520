import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { unmapIPv4 } from '../model/address.ts';
import { writePrivateFile } from '../model/private-fs.ts';

/** The file in the data directory that holds the one-time setup code while no user exists. */
export const SETUP_CODE_FILE = 'setup-code';

// Codes of in-memory stores (tests, `:memory:`), which have no data directory to write to.
const inMemory = new Map<string, string>();
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I/L: read off a console and typed

export const setupCodePath = (dataDir: string) => join(dataDir, SETUP_CODE_FILE);

/**
 * The one-time setup code, made on first need: 12 characters (~59 bits), written 0600 to `<dataDir>/setup-code`.
 * Whoever creates the first admin from another machine must give it; `vigil start` prints it on its console.
 * @example const code = ensureSetupCode(config.dataDir);
 */
export function ensureSetupCode(dataDir: string): string {
  if (dataDir === ':memory:')
    return inMemory.get(dataDir) ?? (inMemory.set(dataDir, makeCode()), inMemory.get(dataDir)!);
  const file = setupCodePath(dataDir);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 12) return existing;
  } catch {
    /* none yet */
  }
  const code = makeCode();
  writePrivateFile(file, `${code}\n`);
  return code;
}

/** Forgets the code once the first user exists. */
export function clearSetupCode(dataDir: string): void {
  inMemory.delete(dataDir);
  if (dataDir !== ':memory:') rmSync(setupCodePath(dataDir), { force: true });
}

/** Constant-time comparison, case and spaces forgiven (it is typed by hand). */
export function setupCodeMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given.replace(/[\s-]/g, '').toUpperCase());
  const b = Buffer.from(expected.toUpperCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when the request comes from this machine itself: a loopback peer and no proxy header. A reverse proxy on the
 * same machine connects from loopback for everyone, so a request that carries forwarding headers is not local.
 */
export function isLocalRequest(request: FastifyRequest): boolean {
  const peer = unmapIPv4(request.raw.socket.remoteAddress ?? '');
  const loopback = peer === '::1' || (isIP(peer) === 4 && peer.startsWith('127.'));
  const h = request.headers;
  return loopback && h['x-forwarded-for'] === undefined && h.forwarded === undefined && h['x-real-ip'] === undefined;
}

function makeCode(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
