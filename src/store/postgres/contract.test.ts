/**
 * The Store contract on PostgreSQL: a throwaway cluster (test/harness/postgres.ts), one database per directory the
 * suite asks for (a second open of the same directory opens the same database, as a second process would).
 */
import { createHash } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../../../test/harness/postgres.ts';
import { storeContract } from '../contract.ts';
import { openPostgres } from './index.ts';

let server: TestPostgres;
let admin: pg.Client;
const created = new Map<string, Promise<string>>();

before(async () => {
  server = await startPostgres();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
});
after(async () => {
  await admin?.end();
  await server?.stop();
});

/** The URL of the database standing for `dir`, created on first use. */
function databaseFor(dir: string): Promise<string> {
  let url = created.get(dir);
  if (!url) {
    const name = `c_${createHash('sha1').update(dir).digest('hex').slice(0, 16)}`;
    url = admin.query(`CREATE DATABASE ${name}`).then(() => {
      const u = new URL(server.url);
      u.pathname = `/${name}`;
      return u.toString();
    });
    created.set(dir, url);
  }
  return url;
}

storeContract('postgres', async (dir) => openPostgres(await databaseFor(dir), { pool: 4 }));
