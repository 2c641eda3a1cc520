import pino from 'pino';
import type { Logger } from './model/logger.ts';

/** The process logger: JSON lines on stderr (pino). Secrets never reach it: modules log ids and addresses, never credentials. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'vigil' } }, pino.destination(2)) as unknown as Logger;
}
