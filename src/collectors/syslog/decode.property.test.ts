import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeSyslog } from './decode.ts';
import { testDataDir } from '../../../test/harness/testdata.ts';

const opts = {
  receivedTs: Date.UTC(2026, 10, 25, 12),
  sourceAddress: '192.0.2.10',
  transport: 'udp' as const,
  defaultTimezone: 'Europe/Berlin',
};

test('random bytes never throw and always give a record', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
      const r = decodeSyslog(Buffer.from(bytes), opts);
      assert.equal(r.kind, 'log');
      assert.ok(Number.isFinite(r.ts));
      assert.ok(r.facility >= 0 && r.facility <= 23 && r.severity >= 0 && r.severity <= 7);
    }),
    { numRuns: 3000 },
  );
});

// Syslog-shaped noise reaches deeper branches than uniform bytes do.
const piece = fc.constantFrom(
  '<13>',
  '<189>',
  '1 ',
  '- ',
  '2026-11-25T10:00:00Z ',
  'Nov 25 10:00:00 ',
  'Nov  1 ',
  '*',
  '.',
  '123: ',
  ': ',
  'host ',
  'app[1]: ',
  'tag: ',
  '[a@1 k="v"]',
  '[x ',
  '\\"',
  '\\]',
  '"',
  ']',
  '%LINK-3-UPDOWN: ',
  '2026 Nov 25 10:00:00 UTC: ',
  '00:00:46: ',
  '1w2d: ',
  'date=2026-11-25 time=10:00:00 devname="x" ',
  '\uFEFF',
  '\u00ff',
  ' ',
  '\n',
  'x',
);
test('syslog-shaped noise never throws', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), fc.uint8Array({ maxLength: 8 }), (parts, tail) => {
      const r = decodeSyslog(Buffer.concat([Buffer.from(parts.join('')), Buffer.from(tail)]), opts);
      assert.equal(typeof r.message, 'string');
    }),
    { numRuns: 5000 },
  );
});

test('a large pathological input finishes quickly (no backtracking)', () => {
  const inputs = [
    Buffer.from('<13>1 2026-11-25T10:00:00Z h a - - ' + '[a@1 k="\\'.repeat(100_000)),
    Buffer.from('<13>' + ':'.repeat(200_000)),
    Buffer.from('Nov 25 10:00:00 ' + 'a['.repeat(100_000)),
  ];
  for (const b of inputs) {
    const started = process.hrtime.bigint();
    decodeSyslog(b, opts);
    // Generous bound: linear parsing of 200 kB takes well under a millisecond; quadratic would take seconds.
    assert.ok(process.hrtime.bigint() - started < 2_000_000_000n);
  }
});

// The real samples, read in place (../shared or $VIGIL_TESTDATA): every line parses with host, tag and time.
const shared = testDataDir();
for (const file of ['Linux_2k.log', 'OpenSSH_2k.log']) {
  test(`every line of shared/logs/${file} parses`, () => {
    const lines = readFileSync(join(shared, 'logs', file), 'utf8')
      .split(/\r?\n/)
      .filter(Boolean);
    assert.ok(lines.length > 1000);
    for (const line of lines) {
      const r = decodeSyslog(Buffer.from(line), opts);
      assert.ok(!r.flags?.includes('unparsed'), line);
      assert.deepEqual(r.flags, ['no-pri'], line);
      assert.equal(r.hostname, line.split(' ').filter(Boolean)[3], line);
      const tag = /^\S+\s+\d+ \S+ \S+ ([^\s[:]+)(?:\[(\d+)\])?:/.exec(line);
      if (tag) {
        assert.equal(r.app, tag[1], line);
        if (tag[2]) assert.equal(r.procid, tag[2], line);
      }
      assert.ok(r.ts < opts.receivedTs + 2 * 86_400_000 && r.ts > opts.receivedTs - 366 * 86_400_000, line);
    }
  });
}
