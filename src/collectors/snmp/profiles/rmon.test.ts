/**
 * The RMON profile's pure part: parsers (HC-RMON joined, bad rows kept or skipped as documented), etherStats rates
 * (32-bit wrap, 64-bit gap, row changes and resets as gaps, RFC 2819 utilisation), which history samples are new
 * (ordering, duplicates, the sampleIndex wrap at 2^31 − 1, restarts, wall time across the sysUpTime wrap), and the
 * EntryStatus Set sequences.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { VarBind } from '../../../model/records.ts';
import type { EtherHistorySample, EtherStatsRow } from '../../../model/rmon.ts';
import { isVigilError } from '../../../model/errors.ts';
import { toRawVarBind, TYPE_NAMES } from '../varbind.ts';
import {
  alarmRowDeleteSets,
  alarmRowSets,
  etherStatsRates,
  eventRowDeleteSets,
  eventRowSets,
  historySamplesAfter,
  lastSampleIndexes,
  parseAlarms,
  parseEtherHistory,
  parseEtherStats,
  parseEvents,
  parseHistoryControl,
  parseLog,
  RMON_ROOTS,
} from './rmon.ts';

const vb = (oid: string, type: string, value: string | number | null): VarBind => ({ oid, type, value });
const ES = '1.3.6.1.2.1.16.1.1.1';
const HC = '1.3.6.1.2.1.16.1.7.1';
const ES2 = '1.3.6.1.2.1.16.1.4.1';
const M = 2 ** 31 - 1;

test('RMON_ROOTS: the RMON-MIB, RMON2 and HC-RMON tables, all under rmon (1.3.6.1.2.1.16)', () => {
  for (const root of Object.values(RMON_ROOTS)) assert.match(root, /^1\.3\.6\.1\.2\.1\.16\.\d+\.\d+$/);
  assert.equal(RMON_ROOTS.etherStatsHighCapacityTable, '1.3.6.1.2.1.16.1.7');
});

test('parseEtherStats: columns, ifIndex from the data source, HC-RMON 64-bit values, create time, bad rows', () => {
  const rows = parseEtherStats([
    vb(`${ES}.1.3`, 'Integer', 3),
    vb(`.${ES}.2.3`, 'ObjectIdentifier', '.1.3.6.1.2.1.2.2.1.1.7'),
    vb(`${ES}.3.3`, 'Counter32', 1),
    vb(`${ES}.4.3`, 'Counter32', 4294967295),
    vb(`${ES}.5.3`, 'Counter32', 100),
    vb(`${ES}.6.3`, 'Counter32', 6),
    vb(`${ES}.8.3`, 'Counter32', 8),
    vb(`${ES}.13.3`, 'Counter32', 13),
    vb(`${ES}.14.3`, 'Counter32', 14),
    vb(`${ES}.19.3`, 'Counter32', 19),
    vb(`${ES}.20.3`, 'OctetString', 'monitor'),
    vb(`${ES}.21.3`, 'Integer', 1),
    vb(`${HC}.1.3`, 'Counter32', 7),
    vb(`${HC}.2.3`, 'Counter64', '30269262553'),
    vb(`${HC}.4.3`, 'Counter64', '18446744073709551615'),
    vb(`${HC}.6.3`, 'Counter64', '0009'),
    vb(`${ES2}.2.3`, 'TimeTicks', 9450),
    // Row 1: only its index (an agent in the recordings does this), a data source that is not an ifIndex, status 9.
    vb(`${ES}.1.1`, 'Integer', 1),
    vb(`${ES}.2.5`, 'ObjectIdentifier', '1.3.6.1.2.1.31.1.1.1.1.5'),
    vb(`${ES}.21.5`, 'Integer', 9),
    vb(`${ES}.4.5`, 'NoSuchInstance', null),
    // Ignored: a malformed instance, an HC row with no etherStats row, another table.
    vb(`${ES}.4.3.1`, 'Counter32', 5),
    vb(`${HC}.2.99`, 'Counter64', '5'),
    vb('1.3.6.1.2.1.16.2.1.1.1.1', 'Integer', 1),
  ]);
  assert.deepEqual(rows, [
    { index: 1, hc: false },
    {
      index: 3,
      dataSource: '1.3.6.1.2.1.2.2.1.1.7',
      ifIndex: 7,
      hc: true,
      dropEvents: 1,
      octets: '18446744073709551615',
      pkts: 30269262553,
      broadcastPkts: 6,
      crcAlignErrors: 8,
      collisions: 13,
      pkts64: 9,
      pkts1024to1518: 19,
      owner: 'monitor',
      status: 'valid',
      createTimeCs: 9450,
    },
    { index: 5, dataSource: '1.3.6.1.2.1.31.1.1.1.1.5', hc: false },
  ]);
});

test('parseHistoryControl, parseEtherHistory, parseAlarms, parseEvents, parseLog: every column', () => {
  const HCT = '1.3.6.1.2.1.16.2.1.1';
  assert.deepEqual(
    parseHistoryControl([
      vb(`${HCT}.1.2`, 'Integer', 2),
      vb(`${HCT}.2.2`, 'ObjectIdentifier', '1.3.6.1.2.1.2.2.1.1.1'),
      vb(`${HCT}.3.2`, 'Integer', 50),
      vb(`${HCT}.4.2`, 'Integer', 10),
      vb(`${HCT}.5.2`, 'Integer', 1800),
      vb(`${HCT}.6.2`, 'OctetString', 'monitorHistoryControl'),
      vb(`${HCT}.7.2`, 'Integer', 3),
    ]),
    [
      {
        index: 2,
        dataSource: '1.3.6.1.2.1.2.2.1.1.1',
        ifIndex: 1,
        bucketsRequested: 50,
        bucketsGranted: 10,
        intervalS: 1800,
        owner: 'monitorHistoryControl',
        status: 'underCreation',
      },
    ],
  );
  const EH = '1.3.6.1.2.1.16.2.2.1';
  const sample = Array.from({ length: 15 }, (_, i) =>
    vb(`${EH}.${i + 1}.1.1347556`, i === 2 ? 'TimeTicks' : 'Counter32', [1, 1347556, 4058875700][i] ?? 100 + i),
  );
  assert.deepEqual(parseEtherHistory([...sample, vb(`${EH}.5.1`, 'Counter32', 1)]), [
    {
      index: 1,
      sampleIndex: 1347556,
      intervalStartCs: 4058875700,
      dropEvents: 103,
      octets: 104,
      pkts: 105,
      broadcastPkts: 106,
      multicastPkts: 107,
      crcAlignErrors: 108,
      undersizePkts: 109,
      oversizePkts: 110,
      fragments: 111,
      jabbers: 112,
      collisions: 113,
      utilizationHundredthsPct: 114,
    },
  ]);
  const AL = '1.3.6.1.2.1.16.3.1.1';
  assert.deepEqual(
    parseAlarms([
      vb(`${AL}.1.4`, 'Integer', 4),
      vb(`${AL}.2.4`, 'Integer', 60),
      vb(`${AL}.3.4`, 'ObjectIdentifier', '1.3.6.1.2.1.16.1.1.1.8.1'),
      vb(`${AL}.4.4`, 'Integer', 2),
      vb(`${AL}.5.4`, 'Integer', -3),
      vb(`${AL}.6.4`, 'Integer', 3),
      vb(`${AL}.7.4`, 'Integer', 10),
      vb(`${AL}.8.4`, 'Integer', -5),
      vb(`${AL}.9.4`, 'Integer', 1),
      vb(`${AL}.10.4`, 'Integer', 0),
      vb(`${AL}.11.4`, 'OctetString', 'vigil'),
      vb(`${AL}.12.4`, 'Integer', 1),
    ]),
    [
      {
        index: 4,
        intervalS: 60,
        variable: '1.3.6.1.2.1.16.1.1.1.8.1',
        sampleType: 'delta',
        value: -3,
        startupAlarm: 'risingOrFalling',
        risingThreshold: 10,
        fallingThreshold: -5,
        risingEventIndex: 1,
        fallingEventIndex: 0,
        owner: 'vigil',
        status: 'valid',
      },
    ],
  );
  const EV = '1.3.6.1.2.1.16.9.1.1';
  assert.deepEqual(
    parseEvents([
      vb(`${EV}.1.1`, 'Integer', 1),
      vb(`${EV}.2.1`, 'OctetString', '%s virtual LAN enabled'),
      vb(`${EV}.3.1`, 'Integer', 4),
      vb(`${EV}.4.1`, 'OctetString', 'public'),
      vb(`${EV}.5.1`, 'TimeTicks', 2507276642),
      vb(`${EV}.6.1`, 'OctetString', ''),
      vb(`${EV}.7.1`, 'Integer', 1),
      vb(`${EV}.3.2`, 'Integer', 0),
    ]),
    [
      {
        index: 1,
        description: '%s virtual LAN enabled',
        type: 'logandtrap',
        community: 'public',
        lastTimeSentCs: 2507276642,
        owner: '',
        status: 'valid',
      },
      { index: 2 },
    ],
  );
  const LG = '1.3.6.1.2.1.16.9.2.1';
  assert.deepEqual(
    parseLog([
      vb(`${LG}.4.329.74677`, 'OctetString', 'second'),
      vb(`${LG}.3.329.74676`, 'TimeTicks', 3080286945),
      vb(`${LG}.4.329.74676`, 'OctetString', 'first'),
      vb(`${LG}.4.3.9`, 'OctetString', 'other event'),
    ]),
    [
      { eventIndex: 3, logIndex: 9, description: 'other event' },
      { eventIndex: 329, logIndex: 74676, timeCs: 3080286945, description: 'first' },
      { eventIndex: 329, logIndex: 74677, description: 'second' },
    ],
  );
});

test('parsers never throw on arbitrary varbinds under rmon', () => {
  const arb = fc.array(
    fc.record({
      oid: fc
        .array(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 6 })
        .map((t) => ['1.3.6.1.2.1.16', ...t].join('.')),
      type: fc.constantFrom('Integer', 'Counter32', 'Counter64', 'OctetString', 'ObjectIdentifier', 'NoSuchObject'),
      value: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)),
    }),
  );
  fc.assert(
    fc.property(arb, (vbs) => {
      for (const parse of [parseEtherStats, parseHistoryControl, parseEtherHistory, parseAlarms, parseEvents, parseLog])
        assert.ok(Array.isArray(parse(vbs)));
    }),
    { numRuns: 300 },
  );
});

const row = (over: Partial<EtherStatsRow> = {}): EtherStatsRow => ({
  index: 1,
  dataSource: '1.3.6.1.2.1.2.2.1.1.1',
  ifIndex: 1,
  status: 'valid',
  hc: false,
  ...over,
});

test('etherStatsRates: rates per second, a 32-bit counter that went down is one wrap', () => {
  const prev = row({ octets: 4294967000, pkts: 10, broadcastPkts: 4294967295, crcAlignErrors: 1, pkts64: 0 });
  const cur = row({ octets: 200, pkts: 30, broadcastPkts: 9, crcAlignErrors: 11, pkts64: 5 });
  assert.deepEqual(etherStatsRates(prev, cur, 10), {
    bps: (496 * 8) / 10,
    pps: 2,
    broadcastPps: 1,
    crcAlignErrorsPerSec: 1,
    pkts64Pps: 0.5,
  });
});

test('etherStatsRates: HC counters are 64-bit — a decrease is a gap, never a wrap — and may exceed 2^53', () => {
  const prev = row({ hc: true, octets: '18446744073709551000', pkts: 1000, broadcastPkts: 4294967290 });
  const cur = row({ hc: true, octets: '18446744073709551615', pkts: 10, broadcastPkts: 4 });
  // pkts went down on a 64-bit counter: gap; broadcastPkts is Counter32 even on an HC row: one wrap.
  assert.deepEqual(etherStatsRates(prev, cur, 1), { bps: 615 * 8, broadcastPps: 10 });
  // A row that became HC (or stopped being): its octets/pkts/size buckets are different counters, not comparable.
  const was32 = row({ octets: 5, pkts: 5, multicastPkts: 0 });
  assert.deepEqual(etherStatsRates(was32, row({ hc: true, octets: 30000000000, pkts: 9, multicastPkts: 2 }), 2), {
    multicastPps: 1,
  });
});

test('etherStatsRates: no previous row, no time, a reset, or a changed row gives a gap (no rates at all)', () => {
  const prev = row({ octets: 100, pkts: 1 });
  const cur = row({ octets: 200, pkts: 2 });
  assert.ok(etherStatsRates(prev, cur, 1).bps);
  assert.deepEqual(etherStatsRates(undefined, cur, 1), {});
  assert.deepEqual(etherStatsRates(prev, cur, 0), {});
  assert.deepEqual(etherStatsRates(prev, cur, Number.NaN), {});
  assert.deepEqual(etherStatsRates(prev, cur, 1, undefined, true), {});
  assert.deepEqual(etherStatsRates(prev, { ...cur, index: 2 }, 1), {});
  assert.deepEqual(etherStatsRates(prev, { ...cur, dataSource: '1.3.6.1.2.1.2.2.1.1.2' }, 1), {});
  assert.deepEqual(etherStatsRates({ ...prev, createTimeCs: 100 }, { ...cur, createTimeCs: 900 }, 1), {});
  assert.deepEqual(etherStatsRates(prev, { ...cur, status: 'underCreation' }, 1), {});
  assert.deepEqual(etherStatsRates({ ...prev, status: 'invalid' }, cur, 1), {});
});

test('etherStatsRates: with the speed, a 32-bit "wrap" beyond twice line rate is an unnoticed reset (a gap)', () => {
  const prev = row({ octets: 1000, pkts: 1000 });
  const cur = row({ octets: 10, pkts: 10 });
  assert.ok(etherStatsRates(prev, cur, 60).bps, 'without the speed a wrap is assumed');
  assert.deepEqual(etherStatsRates(prev, cur, 60, 10e6), {});
});

test('etherStatsRates: utilisation is RFC 2819 (pkts × 20 × 8 + octets × 8) / (s × speed) × 100; errors summed', () => {
  // A real 30 s history sample of a 1 Gbit/s port whose agent reported etherHistoryUtilization 18 (0.18 %).
  const r = etherStatsRates(row({ octets: 0, pkts: 0 }), row({ octets: 6245585, pkts: 28869 }), 30, 1e9);
  assert.ok(r.utilPct !== undefined && Math.abs(r.utilPct - ((28869 * 160 + 6245585 * 8) / (30 * 1e9)) * 100) < 1e-12);
  assert.equal(Math.round(r.utilPct * 100), 18);
  assert.equal(etherStatsRates(row({ octets: 0, pkts: 0 }), row({ octets: 1, pkts: 1 }), 1, 0).utilPct, undefined);
  const errs = etherStatsRates(
    row({ crcAlignErrors: 0, undersizePkts: 0, oversizePkts: 0, fragments: 0, jabbers: 0, collisions: 0 }),
    row({ crcAlignErrors: 1, undersizePkts: 2, oversizePkts: 3, fragments: 4, jabbers: 5, collisions: 6 }),
    1,
  );
  assert.equal(errs.errorsPerSec, 15);
  assert.equal(errs.collisionsPerSec, 6);
  assert.equal(etherStatsRates(row({ crcAlignErrors: 0 }), row({ crcAlignErrors: 1 }), 1).errorsPerSec, undefined);
});

const s = (index: number, sampleIndex: number, intervalStartCs?: number): EtherHistorySample =>
  intervalStartCs === undefined ? { index, sampleIndex } : { index, sampleIndex, intervalStartCs };
const ids = (list: EtherHistorySample[]) => list.map((x) => `${x.index}:${x.sampleIndex}`);

test('historySamplesAfter: per history, oldest first, only after the last imported, without duplicates', () => {
  const samples = [s(2, 7), s(1, 3), s(1, 1), s(2, 5), s(1, 2), s(1, 2), s(2, 6), s(1, 0)];
  assert.deepEqual(ids(historySamplesAfter(samples, new Map())), ['1:1', '1:2', '1:3', '2:5', '2:6', '2:7']);
  assert.deepEqual(ids(historySamplesAfter(samples, new Map([[1, 2]]))), ['1:3', '2:5', '2:6', '2:7']);
  assert.deepEqual(
    ids(
      historySamplesAfter(
        samples,
        new Map([
          [1, 3],
          [2, 7],
        ]),
      ),
    ),
    [],
  );
  // The last imported sample has already left the agent's buckets: everything there is newer.
  assert.deepEqual(ids(historySamplesAfter([s(1, 50), s(1, 51)], new Map([[1, 20]]))), ['1:50', '1:51']);
});

test('historySamplesAfter: sampleIndex wraps from 2^31 − 1 to 1', () => {
  const samples = [s(1, 2), s(1, M), s(1, 1), s(1, M - 1), s(1, M - 2)];
  assert.deepEqual(ids(historySamplesAfter(samples, new Map())), [`1:${M - 2}`, `1:${M - 1}`, `1:${M}`, '1:1', '1:2']);
  assert.deepEqual(ids(historySamplesAfter(samples, new Map([[1, M - 1]]))), [`1:${M}`, '1:1', '1:2']);
  assert.deepEqual(ids(historySamplesAfter(samples, new Map([[1, M]]))), ['1:1', '1:2']);
  assert.deepEqual(ids(historySamplesAfter(samples, new Map([[1, 2]]))), []);
});

test('historySamplesAfter: a history whose newest sample is behind the last imported one restarted: all are new', () => {
  assert.deepEqual(ids(historySamplesAfter([s(1, 2), s(1, 1), s(1, 3)], new Map([[1, 5000]]))), ['1:1', '1:2', '1:3']);
});

test('historySamplesAfter: any window of the ring, any last imported sample in it → exactly the ones after it', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: M }),
      fc.integer({ min: 1, max: 60 }),
      fc.nat(),
      (first, length, lastPick) => {
        const window = Array.from({ length }, (_, i) => ((first - 1 + i) % M) + 1);
        const cut = lastPick % (length + 1); // 0 = nothing imported yet
        const last = cut === 0 ? undefined : window[cut - 1];
        const shuffled = [...window].reverse().map((i) => s(1, i));
        const got = historySamplesAfter(shuffled, last === undefined ? new Map() : new Map([[1, last]]));
        assert.deepEqual(
          got.map((x) => x.sampleIndex),
          window.slice(cut),
        );
      },
    ),
    { numRuns: 500 },
  );
});

test('historySamplesAfter: wall time of each interval start, across the sysUpTime wrap at 2^32 cs', () => {
  const wallMs = Date.UTC(2024, 0, 1);
  const got = historySamplesAfter([s(1, 1, 2 ** 32 - 500), s(1, 2, 600), s(1, 3)], new Map(), {
    sysUpTimeCs: 1000,
    wallMs,
  });
  assert.deepEqual(
    got.map((x) => x.intervalStartTs),
    [wallMs - 15_000, wallMs - 4_000, undefined],
  );
  assert.deepEqual(
    lastSampleIndexes(got, new Map([[9, 4]])),
    new Map([
      [9, 4],
      [1, 3],
    ]),
  );
});

const ALARM = '1.3.6.1.2.1.16.3.1.1';
const EVENT = '1.3.6.1.2.1.16.9.1.1';

test('alarmRowSets: createRequest(2), the columns, valid(1), one Set PDU each; delete is invalid(4)', () => {
  assert.deepEqual(
    alarmRowSets({
      index: 7,
      intervalS: 60,
      variable: '.1.3.6.1.2.1.16.1.1.1.8.1',
      sampleType: 'delta',
      startupAlarm: 'rising',
      risingThreshold: 10,
      fallingThreshold: 0,
      risingEventIndex: 7,
      fallingEventIndex: 0,
      owner: 'vigil',
    }),
    [
      [vb(`${ALARM}.12.7`, 'Integer', 2)],
      [
        vb(`${ALARM}.2.7`, 'Integer', 60),
        vb(`${ALARM}.3.7`, 'ObjectIdentifier', '1.3.6.1.2.1.16.1.1.1.8.1'),
        vb(`${ALARM}.4.7`, 'Integer', 2),
        vb(`${ALARM}.6.7`, 'Integer', 1),
        vb(`${ALARM}.7.7`, 'Integer', 10),
        vb(`${ALARM}.8.7`, 'Integer', 0),
        vb(`${ALARM}.9.7`, 'Integer', 7),
        vb(`${ALARM}.10.7`, 'Integer', 0),
        vb(`${ALARM}.11.7`, 'OctetString', 'vigil'),
      ],
      [vb(`${ALARM}.12.7`, 'Integer', 1)],
    ],
  );
  const minimal = alarmRowSets({
    index: 1,
    intervalS: 5,
    variable: '1.3.6.1.2.1.2.2.1.10.1',
    sampleType: 'absolute',
    risingThreshold: -1,
    fallingThreshold: -2,
  });
  assert.deepEqual(
    minimal[1].map((v) => v.oid.split('.').at(-2)),
    ['2', '3', '4', '7', '8'],
  );
  assert.deepEqual(alarmRowDeleteSets(7), [[vb(`${ALARM}.12.7`, 'Integer', 4)]]);
});

test('eventRowSets: createRequest(2), the columns, valid(1); delete is invalid(4)', () => {
  assert.deepEqual(eventRowSets({ index: 3, type: 'logandtrap', description: 'CRC errors', community: 'public' }), [
    [vb(`${EVENT}.7.3`, 'Integer', 2)],
    [
      vb(`${EVENT}.2.3`, 'OctetString', 'CRC errors'),
      vb(`${EVENT}.3.3`, 'Integer', 4),
      vb(`${EVENT}.4.3`, 'OctetString', 'public'),
    ],
    [vb(`${EVENT}.7.3`, 'Integer', 1)],
  ]);
  assert.deepEqual(eventRowSets({ index: 4, type: 'none', owner: '' })[1], [
    vb(`${EVENT}.3.4`, 'Integer', 1),
    vb(`${EVENT}.6.4`, 'OctetString', ''),
  ]);
  assert.deepEqual(eventRowDeleteSets(3), [[vb(`${EVENT}.7.3`, 'Integer', 4)]]);
});

test('Set PDUs: every type is a net-snmp type name Set accepts; text that looks like 0x-hex is sent as text', () => {
  const pdus = [
    ...alarmRowSets({
      index: 2,
      intervalS: 1,
      variable: '1.3.6.1.2.1.1.3.0',
      sampleType: 'absolute',
      risingThreshold: 2 ** 31 - 1,
      fallingThreshold: -(2 ** 31),
      owner: '0x41',
    }),
    ...eventRowSets({ index: 2, type: 'log', description: '0xdeadbeef' }),
  ];
  const names = new Set(Object.values(TYPE_NAMES));
  for (const v of pdus.flat()) {
    assert.ok(names.has(v.type), v.type);
    toRawVarBind(v);
  }
  const owner = pdus.flat().find((v) => v.oid === `${ALARM}.11.2`);
  assert.ok(owner);
  assert.deepEqual(toRawVarBind(owner).value, Buffer.from('0x41'));
  const description = pdus.flat().find((v) => v.oid === `${EVENT}.2.2`);
  assert.ok(description);
  assert.deepEqual(toRawVarBind(description).value, Buffer.from('0xdeadbeef'));
});

test('Set PDUs: values the MIB does not allow are refused with VIGIL_VALIDATION', () => {
  const ok = {
    index: 1,
    intervalS: 60,
    variable: '1.3.6.1.2.1.2.2.1.10.1',
    sampleType: 'delta' as const,
    risingThreshold: 1,
    fallingThreshold: 0,
  };
  const refused = (f: () => unknown) =>
    assert.throws(f, (e: unknown) => isVigilError(e) && e.code === 'VIGIL_VALIDATION');
  refused(() => alarmRowSets({ ...ok, index: 0 }));
  refused(() => alarmRowSets({ ...ok, index: 65536 }));
  refused(() => alarmRowSets({ ...ok, intervalS: 0 }));
  refused(() => alarmRowSets({ ...ok, variable: 'ifInOctets.1' }));
  refused(() => alarmRowSets({ ...ok, sampleType: 'average' as 'delta' }));
  refused(() => alarmRowSets({ ...ok, risingThreshold: 2 ** 31 }));
  refused(() => alarmRowSets({ ...ok, fallingThreshold: 0.5 }));
  refused(() => alarmRowSets({ ...ok, risingEventIndex: -1 }));
  refused(() => alarmRowSets({ ...ok, owner: 'x'.repeat(128) }));
  refused(() => alarmRowDeleteSets(0));
  refused(() => eventRowSets({ index: 1, type: 'mail' as 'log' }));
  refused(() => eventRowSets({ index: 1, type: 'log', description: 'é'.repeat(64) }));
  refused(() => eventRowDeleteSets(70000));
  assert.ok(alarmRowSets({ ...ok, owner: 'x'.repeat(127) }));
});
