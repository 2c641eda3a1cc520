import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';

/**
 * Creates a directory that only its owner can enter (0700). The data directory holds SNMP communities, v3 keys and
 * session hashes; a directory that already exists keeps the mode its owner gave it.
 */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Makes sure `file` exists and only its owner can read it (0600), before anyone writes secrets into it. SQLite gives
 * its -wal and -shm files the mode of the database file, so creating the database this way covers them too.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/** Writes a small secret file (0600 from the first byte, never world-readable for an instant). */
export function writePrivateFile(file: string, text: string): void {
  ensurePrivateFile(file);
  writeFileSync(file, text, { mode: 0o600 });
}
