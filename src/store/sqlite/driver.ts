import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * The SQLite driver for this Node: better-sqlite3 12 on Node 20 (13 crashes there), and 13 (Node-API, installed as
 * `better-sqlite3-napi`) on Node 22 and later, where 12's statements abort the process when they are garbage
 * collected (Node 24's ObjectWrap change). Both have the same API.
 */
export const Database: typeof BetterSqlite3 = require(nodeMajor >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');
export type Database = BetterSqlite3.Database;
