import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSyslog, type DecodeOptions } from './decode.ts';

// Golden folders: testcases/<case>/{input, options.json?, expected.json}. Adding a real-world message is adding a folder.
// VIGIL_UPDATE_GOLDEN=1 rewrites expected.json from the decoder (then review the diff by hand).
const dir = new URL('./testcases/', import.meta.url).pathname;
const RECEIVED = '2026-11-25T12:00:00.000Z';

/** The record as stored in expected.json: times as ISO text so that a reviewer can read them. */
function readable(rec: ReturnType<typeof decodeSyslog>): unknown {
  const r = JSON.parse(JSON.stringify(rec));
  r.ts = new Date(rec.ts).toISOString();
  r.receivedTs = new Date(rec.receivedTs).toISOString();
  return r;
}

const cases = readdirSync(dir)
  .filter((n) => existsSync(join(dir, n, 'input')))
  .sort();

test('there are at least 60 golden cases', () => assert.ok(cases.length >= 60, `${cases.length} cases`));

for (const name of cases) {
  test(`golden ${name}`, () => {
    const input = readFileSync(join(dir, name, 'input'));
    const optFile = join(dir, name, 'options.json');
    const o = existsSync(optFile) ? JSON.parse(readFileSync(optFile, 'utf8')) : {};
    const opts: DecodeOptions = {
      receivedTs: Date.parse(o.receivedTs ?? RECEIVED),
      sourceAddress: o.sourceAddress ?? '192.0.2.10',
      transport: o.transport ?? 'udp',
      ...(o.defaultTimezone ? { defaultTimezone: o.defaultTimezone } : {}),
      ...(o.defaultPri !== undefined ? { defaultPri: o.defaultPri } : {}),
    };
    const got = readable(decodeSyslog(input, opts));
    const expectedFile = join(dir, name, 'expected.json');
    if (process.env.VIGIL_UPDATE_GOLDEN === '1') writeFileSync(expectedFile, JSON.stringify(got, null, 2) + '\n');
    assert.deepEqual(got, JSON.parse(readFileSync(expectedFile, 'utf8')));
  });
}
