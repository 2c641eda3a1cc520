import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  counterDelta,
  counterRate,
  discontinuityChanged,
  octetsToBps,
  rateTimes,
  uptimeWentBack,
  utilisationPct,
} from './rates.ts';

const T32 = 2 ** 32;

test('counterDelta: vectors', () => {
  const cases: [number | string, number | string, 32 | 64, bigint | undefined][] = [
    [100, 700, 32, 600n],
    [0, 0, 32, 0n],
    [T32 - 296, 200, 32, 496n], // one 32-bit wrap
    [T32 - 1, 0, 32, 1n],
    [5, 4, 32, 4294967295n], // a wrap by the maths; counterRate's maxPerSecond catches the implausible ones
    ['18446744073709551000', '18446744073709551615', 64, 615n],
    ['1000', '999', 64, undefined], // 64-bit never wraps in practice: reset
    ['12345678901234567890', '12345678901234567990', 64, 100n],
    [T32, 5, 32, undefined], // out of range for Counter32
    ['abc', '5', 64, undefined],
    [-1, 5, 32, undefined],
  ];
  for (const [p, c, bits, want] of cases) assert.equal(counterDelta(p, c, bits), want, `${p} → ${c} (${bits})`);
});

test('counterRate: per second, gap without previous reading or time, or beyond maxPerSecond', () => {
  assert.equal(counterRate({ value: 100, timeS: 0 }, { value: 700, timeS: 60 }, 32), 10);
  assert.equal(counterRate({ value: T32 - 296, timeS: 10 }, { value: 200, timeS: 12 }, 32), 248);
  assert.equal(counterRate(undefined, { value: 700, timeS: 60 }, 32), undefined);
  assert.equal(counterRate({ value: 1, timeS: 60 }, { value: 700, timeS: 60 }, 32), undefined);
  assert.equal(counterRate({ value: 1, timeS: 61 }, { value: 700, timeS: 60 }, 32), undefined);
  assert.equal(counterRate({ value: 5, timeS: 0 }, { value: 4, timeS: 60 }, 32, 1e6), undefined);
  assert.equal(counterRate({ value: '1000', timeS: 0 }, { value: '999', timeS: 60 }, 64), undefined);
  assert.equal(counterRate({ value: '0', timeS: 0 }, { value: '125000000000', timeS: 100 }, 64), 1.25e9);
});

test('octetsToBps and utilisationPct', () => {
  assert.equal(octetsToBps(125), 1000);
  assert.equal(octetsToBps(undefined), undefined);
  assert.equal(utilisationPct(50e6, 100e6), 50);
  assert.equal(utilisationPct(50e6, 0), undefined);
  assert.equal(utilisationPct(undefined, 1e9), undefined);
});

test('uptimeWentBack: restart versus 497-day wrap', () => {
  assert.equal(uptimeWentBack(1000, 2000), false);
  assert.equal(uptimeWentBack(2000, 1000), true);
  assert.equal(uptimeWentBack(undefined, 1000), false);
  assert.equal(uptimeWentBack(T32 - 3000, 3000, 60), false); // wrapped: 60 s passed on both clocks
  assert.equal(uptimeWentBack(T32 - 3000, 3000, 3600), true);
  assert.equal(uptimeWentBack(500_000, 3000, 60), true);
});

test('discontinuityChanged', () => {
  assert.equal(discontinuityChanged(undefined, 5), false);
  assert.equal(discontinuityChanged(5, 5), false);
  assert.equal(discontinuityChanged(5, 9), true);
});

test('rateTimes prefers agent uptime, else wall clock', () => {
  assert.deepEqual(rateTimes({ uptimeCs: 100, wallMs: 5000 }, { uptimeCs: 6100, wallMs: 66_000 }), {
    prevS: 1,
    curS: 61,
  });
  assert.deepEqual(rateTimes({ uptimeCs: 100, wallMs: 5000 }, { uptimeCs: 100, wallMs: 65_000 }), {
    prevS: 5,
    curS: 65,
  });
  assert.deepEqual(rateTimes({ wallMs: 0 }, { wallMs: 1000 }), { prevS: 0, curS: 1 });
  assert.equal(rateTimes(undefined, { wallMs: 1000 }), undefined);
});

test('counterRate never throws and is never negative', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      fc.double({ min: 0.001, max: 1e6, noNaN: true }),
      (a, b, dt) => {
        const r = counterRate({ value: a.toString(), timeS: 0 }, { value: b.toString(), timeS: dt }, 64);
        assert.ok(r === undefined || r >= 0);
      },
    ),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: T32 - 1 }), fc.integer({ min: 0, max: T32 - 1 }), (a, b) => {
      const d = counterDelta(a, b, 32);
      assert.ok(d !== undefined && d >= 0n && d < BigInt(T32));
    }),
  );
});
