import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildFpingArgs, parseFpingOutput } from './fping.ts';
import { icmpConfigSchema } from './config.ts';

// Golden folders: each holds the stdout and stderr of a real fping 5.1 run and what the parser must make of it.
const dir = new URL('./testcases/', import.meta.url);
for (const name of readdirSync(dir)) {
  test(`parseFpingOutput: ${name}`, () => {
    const read = (f: string) => readFileSync(new URL(`${name}/${f}`, dir), 'utf8');
    const out = parseFpingOutput(read('stdout') + read('stderr'));
    const got = {
      targets: Object.fromEntries(out.targets),
      globalErrors: out.globalErrors,
      unparsedLines: out.unparsedLines,
    };
    assert.deepEqual(got, JSON.parse(read('expected.json')));
  });
}

test('parseFpingOutput: stderr before stdout gives the same result', () => {
  const read = (f: string) => readFileSync(new URL(`verbose-unreachable-unresolvable/${f}`, dir), 'utf8');
  const a = parseFpingOutput(read('stdout') + read('stderr'));
  const b = parseFpingOutput(read('stderr') + read('stdout'));
  assert.deepEqual(b.targets, a.targets);
});

test('parseFpingOutput: per-probe lines are used when no summary came', () => {
  const out = parseFpingOutput(
    '10.0.0.1 : [0], 64 bytes, 1.5 ms (1.5 avg, 0% loss)\n10.0.0.1 : [1], timed out (NaN avg, 50% loss)\n10.0.0.1 : [2], 64 bytes, 2.5 ms (2.0 avg, 33% loss)\n10.0.0.1 : [2], 64 bytes, 2.6 ms (2.0 avg, 33% loss) (DUP!)\n',
  );
  assert.deepEqual(out.targets.get('10.0.0.1')?.rttsMs, [1.5, null, 2.5]);
  assert.equal(out.targets.get('10.0.0.1')?.duplicates, 1);
});

test('parseFpingOutput: fping errors and garbage are counted, not fatal', () => {
  const out = parseFpingOutput(
    "fping: can't create socket (must run as root?)\n\u0000\u0001 junk line without colon\n",
  );
  assert.deepEqual(out.globalErrors, ["can't create socket (must run as root?)"]);
  assert.equal(out.unparsedLines, 1);
});

test('parseFpingOutput never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      parseFpingOutput(s);
    }),
  );
  fc.assert(
    fc.property(
      fc.array(
        fc.constantFrom(
          '127.0.0.1 : ',
          '- ',
          '0.5 ',
          '[0], ',
          'duplicate for ',
          'ICMP x ',
          'for ICMP Echo sent to ',
          '\n',
          ': ',
          'ms',
        ),
      ),
      (parts) => {
        parseFpingOutput(parts.join(''));
      },
    ),
  );
});

test('buildFpingArgs puts the config into fping flags and targets last', () => {
  const cfg = icmpConfigSchema.parse({ count: 3, periodMs: 500, intervalMs: 2, timeoutMs: 800, sizeBytes: 100 });
  assert.deepEqual(buildFpingArgs(['127.0.0.1', '::1'], cfg), [
    '-C',
    '3',
    '-q',
    '-p',
    '500',
    '-i',
    '2',
    '-t',
    '800',
    '-b',
    '100',
    '--',
    '127.0.0.1',
    '::1',
  ]);
});
