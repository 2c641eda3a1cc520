import { storeContract } from '../contract.ts';
import { openSqlite } from './async.ts';

storeContract('sqlite', (dir) => openSqlite(dir));
