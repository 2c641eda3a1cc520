/**
 * The bus codec: every kind of record round-trips exactly (arbitrary records: any strings, any numbers, optional
 * fields present or absent, free-form details), a trap's wire varbinds cross under their symbol key, mixed kinds are
 * refused, and hostile bytes (every truncation, random garbage, mutated batches, a future version) throw a CodecError
 * and nothing else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { integer, octets, oid, seq, TAG, tlv, unsigned, unsigned64 } from '../../model/ber.ts';
import type { WirelessRecord } from '../../model/records.ts';
import type { VigilEvent } from '../../model/events.ts';
import {
  type BusRecord,
  type DeviceState,
  type EventRecord,
  type InterfaceState,
  type LogRecord,
  type Sample,
  SEVERITIES,
  type TrapRecord,
  WIRE_VARBINDS,
} from '../../model/records.ts';
import { decodeSyslog } from '../../collectors/syslog/decode.ts';
import { encodeCommunityMessage, encodePdu } from '../../collectors/trap/encode.ts';
import { decodeMessage, PDU } from '../../collectors/trap/message.ts';
import { pduToTrapRecord } from '../../collectors/trap/record.ts';
import { CODEC_VERSION, CodecError, decodeBatch, encodeBatch } from './codec.ts';

// ---- arbitraries

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const str = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: codeUnit, maxLength: 20 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 40, maxLength: 300 }),
  fc.constantFrom('', '안녕하세요 네트워크', 'GigabitEthernet0/1', '18446744073709551615', '__proto__', 'd1'),
);
/** Any number: integers small and large, fractions, ±0, NaN, ±Infinity, the edges of the varint range. */
const num = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.maxSafeInteger(),
  fc.constantFrom(
    0,
    -0,
    2 ** 51,
    2 ** 51 - 1,
    -(2 ** 51),
    2 ** 53,
    -(2 ** 53),
    1e300,
    5e-324,
    NaN,
    Infinity,
    -Infinity,
  ),
);
const small = fc.oneof(fc.nat(100), num);
/** Epoch milliseconds mostly, anything sometimes. */
const ts = fc.oneof(fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), num);
const dict = <T>(v: fc.Arbitrary<T>) => fc.dictionary(str, v, { noNullPrototype: true, maxKeys: 6 });
const free = fc.anything({
  key: str,
  maxDepth: 4,
  withBoxedValues: false,
  withMap: false,
  withSet: false,
  withObjectString: false,
  withNullPrototype: false,
  withBigInt: false,
  withDate: false,
  withTypedArray: false,
  withSparseArray: false,
});
const opt = <T extends object>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: (keyof T)[]) =>
  fc.record(shape, { requiredKeys: required as never[], noNullPrototype: true }) as unknown as fc.Arbitrary<T>;

const sample: fc.Arbitrary<Sample> = fc.record(
  {
    kind: fc.constant('sample' as const),
    deviceId: str,
    metric: str,
    labels: dict(str),
    ts,
    value: num,
  },
  { noNullPrototype: true },
);
const version = fc.constantFrom('v1' as const, 'v2c' as const, 'v3' as const);
const deviceState: fc.Arbitrary<DeviceState> = opt<DeviceState>(
  {
    kind: fc.constant('device-state'),
    deviceId: str,
    ts,
    icmp: opt<NonNullable<DeviceState['icmp']>>({ up: fc.boolean(), lossPct: num, rttAvgMs: num }, ['up', 'lossPct']),
    snmp: opt<NonNullable<DeviceState['snmp']>>(
      {
        ok: fc.boolean(),
        errorCode: str,
        error: str,
        version,
        system: opt(
          {
            sysDescr: str,
            sysObjectID: str,
            sysUpTimeCs: num,
            sysName: str,
            sysLocation: str,
            sysContact: str,
            vendor: str,
          },
          [],
        ),
      },
      ['ok', 'version'],
    ),
    rebooted: fc.boolean(),
  },
  ['kind', 'deviceId', 'ts'],
);
const interfaceState: fc.Arbitrary<InterfaceState> = opt<InterfaceState>(
  {
    kind: fc.constant('interface-state'),
    deviceId: str,
    ts,
    ifIndex: small,
    name: str,
    descr: str,
    alias: str,
    type: small,
    speedBps: num,
    adminStatus: small,
    operStatus: small,
    previousOperStatus: small,
    lastChangeTs: ts,
    inBps: num,
    outBps: num,
    inUtilPct: num,
    outUtilPct: num,
    inErrorsPerSec: num,
    outErrorsPerSec: num,
  },
  ['kind', 'deviceId', 'ts', 'ifIndex', 'name'],
);
const log: fc.Arbitrary<LogRecord> = opt<LogRecord>(
  {
    kind: fc.constant('log'),
    receivedTs: ts,
    sourceAddress: str,
    deviceId: str,
    transport: fc.constantFrom('udp' as const, 'tcp' as const, 'tls' as const),
    facility: small,
    severity: small,
    ts,
    hostname: str,
    app: str,
    procid: str,
    msgid: str,
    structuredData: dict(dict(str)),
    message: str,
    rawBase64: fc.base64String(),
    flags: fc.array(str, { maxLength: 4 }),
  },
  ['kind', 'receivedTs', 'sourceAddress', 'transport', 'facility', 'severity', 'ts', 'message'],
);
const oidStr = fc.oneof(
  fc.array(fc.nat(), { minLength: 1, maxLength: 12 }).map((a) => a.join('.')),
  fc.constantFrom('1.3.6.1.2.1.2.2.1.1.07', '1.3.6.1.2.1.2.2.1.1.1234567890', '.5', '1.', 'not.an.oid'),
  str,
);
const varbind = fc.record(
  {
    oid: oidStr,
    type: fc.oneof(fc.constantFrom('Integer', 'OctetString', 'Counter64', 'Null', 'TimeTicks'), str),
    value: fc.oneof(fc.constant(null), num, str),
  },
  { noNullPrototype: true },
);
const trap: fc.Arbitrary<TrapRecord> = fc
  .tuple(
    opt<TrapRecord>(
      {
        kind: fc.constant('trap'),
        receivedTs: ts,
        sourceAddress: str,
        agentAddress: str,
        deviceId: str,
        version,
        pduType: fc.constantFrom('trap' as const, 'inform' as const, 'trapv1' as const),
        community: str,
        user: str,
        trapOid: oidStr,
        uptimeCs: num,
        varbinds: fc.array(varbind, { maxLength: 6 }),
      },
      ['kind', 'receivedTs', 'sourceAddress', 'agentAddress', 'version', 'pduType', 'trapOid', 'varbinds'],
    ),
    fc.option(fc.uint8Array({ maxLength: 300 })),
  )
  .map(([t, wire]) => {
    if (wire) t[WIRE_VARBINDS] = Buffer.from(wire);
    return t;
  });
const event: fc.Arbitrary<VigilEvent> = opt<VigilEvent>(
  {
    kind: fc.constant('event'),
    id: str,
    dedupKey: str,
    source: fc.oneof(fc.constantFrom('icmp' as const, 'threshold' as const, 'incident' as const)),
    deviceId: str,
    component: str,
    severity: fc.constantFrom(...SEVERITIES),
    state: fc.constantFrom('open' as const, 'acknowledged' as const, 'cleared' as const),
    firstSeen: ts,
    lastSeen: ts,
    count: small,
    summary: str,
    details: dict(free),
    causes: fc.array(str, { maxLength: 3 }),
    clearedTs: ts,
    ruleId: str,
    inMaintenance: fc.boolean(),
    suppressed: str,
    dependsOn: str,
    acknowledgedBy: str,
    acknowledgedTs: ts,
    expiresTs: ts,
    clearReason: fc.constantFrom('recovered' as const, 'timeout' as const, 'manual' as const, 'correlation' as const),
    partOf: fc.array(str, { maxLength: 3 }),
    incidentId: str,
  },
  ['kind', 'id', 'dedupKey', 'source', 'severity', 'state', 'firstSeen', 'lastSeen', 'count', 'summary'],
);

/** A batch of one kind; samples sometimes share a labels object, as a poll's samples of one interface do. */
const batchOf = <T extends BusRecord>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: 1, maxLength: 12 });
const sampleBatch = fc.tuple(batchOf(sample), fc.array(fc.boolean(), { maxLength: 12 })).map(([b, share]) => {
  for (let i = 1; i < b.length; i++) if (share[i]) b[i].labels = b[i - 1].labels;
  return b;
});
const KINDS: [string, fc.Arbitrary<BusRecord[]>][] = [
  ['sample', sampleBatch],
  ['device-state', batchOf(deviceState)],
  ['interface-state', batchOf(interfaceState)],
  ['log', batchOf(log)],
  ['trap', batchOf(trap)],
  ['event', batchOf(event)],
  [
    'topology',
    batchOf(
      fc.record(
        { kind: fc.constant('topology' as const), deviceId: str, ts, snapshot: dict(free) },
        { noNullPrototype: true },
      ),
    ),
  ],
  [
    'wireless',
    batchOf(
      fc.record(
        {
          kind: fc.constant('wireless' as const),
          deviceId: str,
          ts,
          snapshot: dict(free) as unknown as fc.Arbitrary<WirelessRecord['snapshot']>,
        },
        { noNullPrototype: true },
      ),
    ),
  ],
];

const roundTrip = (b: readonly BusRecord[]) => decodeBatch(encodeBatch(b));

function isCodecError(e: unknown): boolean {
  return e instanceof CodecError && e.code === 'VIGIL_CODEC';
}

// ---- realistic records (what collectors make)

const now = 1_764_000_000_000;
function realTraps(): TrapRecord[] {
  const list = (i: number) =>
    seq(
      seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(1000 + i, TAG.TimeTicks)),
      seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid(i % 2 ? '1.3.6.1.6.3.1.1.5.3' : '1.3.6.1.6.3.1.1.5.4')),
      seq(oid(`1.3.6.1.2.1.2.2.1.2.${i}`), octets(`GigabitEthernet0/${i}`)),
      seq(oid(`1.3.6.1.2.1.31.1.1.1.6.${i}`), unsigned64('18446744073709551615')),
      seq(oid('1.3.6.1.2.1.4.20.1.1.10.0.0.1'), tlv(TAG.IpAddress, Buffer.from([10, 0, 0, 1]))),
      seq(oid(`1.3.6.1.2.1.2.2.1.8.${i}`), integer(-2)),
    );
  return Array.from({ length: 20 }, (_, i) => {
    const m = decodeMessage(encodeCommunityMessage('v2c', 'public', encodePdu(PDU.TrapV2, i, list(i))));
    if (m.version === 'v3') throw new Error('not v3');
    return pduToTrapRecord(m.pdu, {
      receivedTs: now + i,
      sourceAddress: `10.1.0.${i}`,
      version: 'v2c',
      community: m.community,
      deviceByAddress: () => ({ id: `d${i}` }),
    });
  });
}
const realLogs = (): LogRecord[] =>
  [
    '<34>1 2026-11-25T10:00:00.123Z host1 sshd 4242 ID47 [exampleSDID@32473 iut="3" eventSource="App"] Failed password',
    '<13>Nov 25 10:00:00 router1 %LINK-3-UPDOWN: Interface Gi0/1, changed state to down',
    'no pri at all',
    '<13>Nov 25 10:00:00 host 한국어 메시지 \u00ff',
  ].map((line, i) =>
    decodeSyslog(Buffer.from(line), { receivedTs: now + i, sourceAddress: `10.0.0.${i}`, transport: 'udp' }),
  );
const realSamples = (): Sample[] => {
  const labels = { ifIndex: '3', ifName: 'Gi0/3' };
  return ['if.in.bps', 'if.out.bps', 'if.in.util.pct'].map((metric, i) => ({
    kind: 'sample',
    deviceId: 'd1',
    metric,
    labels,
    ts: now,
    value: 1234.5678 * i,
  }));
};
const realEvent: VigilEvent = {
  kind: 'event',
  id: 'ev00000001',
  dedupKey: 'threshold:th1:d1:ifIndex=3',
  source: 'threshold',
  deviceId: 'd1',
  component: 'ifIndex=3',
  severity: 'major',
  state: 'cleared',
  firstSeen: now - 60_000,
  lastSeen: now,
  count: 2,
  summary: 'if.in.util.pct on d1 Gi0/3 above 80',
  details: { metric: 'if.in.util.pct', value: 85.5, threshold: 80, labels: { ifIndex: '3' }, extra: [null, -0, NaN] },
  ruleId: 'th1',
  clearedTs: now,
  clearReason: 'recovered',
  inMaintenance: false,
};
const realBatches = (): BusRecord[][] => [realSamples(), realLogs(), realTraps(), [realEvent], []];

// ---- round trips

for (const [kind, arb] of KINDS) {
  test(`${kind}: arbitrary batches round-trip exactly`, () => {
    fc.assert(
      fc.property(arb, (batch) => {
        assert.deepStrictEqual(roundTrip(batch), batch);
      }),
      { numRuns: 300 },
    );
  });
}

test('realistic records round-trip exactly, an empty batch too', () => {
  for (const b of realBatches()) assert.deepStrictEqual(roundTrip(b), b);
  assert.deepEqual([...encodeBatch([])], [CODEC_VERSION, 0, 0]);
});

test("a trap's wire varbinds cross under WIRE_VARBINDS, as a copy; a trap without them has none", () => {
  const [t] = realTraps();
  assert.ok(t[WIRE_VARBINDS]);
  const [back] = roundTrip([t]) as TrapRecord[];
  assert.ok(Buffer.isBuffer(back[WIRE_VARBINDS]));
  assert.deepEqual([...back[WIRE_VARBINDS]!], [...t[WIRE_VARBINDS]!]);
  const plain = { ...t, varbinds: [...t.varbinds] };
  delete plain[WIRE_VARBINDS];
  const [none] = roundTrip([plain]) as TrapRecord[];
  assert.equal(WIRE_VARBINDS in none, false);
  // deepStrictEqual compares symbol keys: a lost wire form would fail the round trips above.
  assert.throws(() => assert.deepStrictEqual(none, t));
});

test('absent optional fields stay absent (undefined-valued ones are dropped, as JSON drops them)', () => {
  const s: DeviceState = { kind: 'device-state', deviceId: 'd1', ts: now, icmp: { up: true, lossPct: 0 } };
  const [back] = roundTrip([s]);
  assert.deepStrictEqual(Object.keys(back).sort(), ['deviceId', 'icmp', 'kind', 'ts']);
  assert.deepStrictEqual(Object.keys((back as DeviceState).icmp!).sort(), ['lossPct', 'up']);
  const withUndefined = { ...realEvent, component: undefined, extra: undefined };
  const [e] = roundTrip([withUndefined]);
  assert.equal('component' in e, false);
  assert.equal('extra' in e, false);
});

test("an event's fields beyond VigilEvent's cross too", () => {
  const e = { ...realEvent, future: { a: [1, 'x'] }, flag: true } as EventRecord;
  assert.deepStrictEqual(roundTrip([e]), [e]);
});

test('labels shared between samples are sent once and come back shared', () => {
  const b = realSamples();
  const [a, c] = roundTrip(b) as Sample[];
  assert.equal(a.labels, c.labels);
  const unshared = b.map((s) => ({ ...s, labels: { ...s.labels } }));
  assert.ok(encodeBatch(b).length < encodeBatch(unshared).length);
});

test('mixed kinds and unknown kinds are refused', () => {
  const mixed = [realSamples()[0], realLogs()[0]];
  assert.throws(
    () => encodeBatch(mixed),
    (e) => isCodecError(e) && (e as CodecError).reason === 'kind',
  );
  const odd = { ...realSamples()[0], kind: 'toString' } as unknown as BusRecord;
  assert.throws(
    () => encodeBatch([odd]),
    (e) => isCodecError(e) && (e as CodecError).reason === 'kind',
  );
});

test('too deeply nested details are refused when encoding, and when decoding without recursing', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.throws(() => encodeBatch([{ ...realEvent, details: { deep } }]), CodecError);
  // An event whose details are {} ends in the object tag and a zero count: replace those by 100,000 nested arrays.
  const e: EventRecord = { ...realEvent, details: {} };
  delete (e as VigilEvent).ruleId;
  delete (e as VigilEvent).clearReason;
  delete (e as VigilEvent).inMaintenance;
  delete e.clearedTs;
  const ok = encodeBatch([e]);
  assert.deepEqual([...ok.subarray(-2)], [8, 0]);
  const nested = Buffer.concat([ok.subarray(0, -2), Buffer.alloc(200_000, Buffer.from([7, 1])), Buffer.from([1])]);
  assert.throws(
    () => decodeBatch(nested),
    (e) => isCodecError(e) && (e as CodecError).reason === 'corrupt',
  );
});

// ---- hostile bytes

test('a future (or past) version byte gives reason "version"; an unknown kind gives "kind"', () => {
  const ok = encodeBatch(realSamples());
  for (const v of [0, 2, 255]) {
    const b = Buffer.from(ok);
    b[0] = v;
    assert.throws(
      () => decodeBatch(b),
      (e) => isCodecError(e) && (e as CodecError).reason === 'version',
    );
  }
  for (const k of [0, 9, 200]) {
    const b = Buffer.from(ok);
    b[1] = k;
    assert.throws(
      () => decodeBatch(b),
      (e) => isCodecError(e) && (e as CodecError).reason === 'kind',
    );
  }
});

test('every truncation of a valid batch throws CodecError "truncated"', () => {
  const batches = [...realBatches(), ...KINDS.flatMap(([, arb]) => fc.sample(arb, { numRuns: 3, seed: 42 }))];
  let cuts = 0;
  for (const b of batches) {
    const buf = encodeBatch(b);
    for (let n = 0; n < buf.length; n++, cuts++)
      assert.throws(
        () => decodeBatch(buf.subarray(0, n)),
        (e) => isCodecError(e) && (e as CodecError).reason === 'truncated',
        `${b[0]?.kind ?? 'empty'} cut at ${n} of ${buf.length}`,
      );
  }
  assert.ok(cuts > 1000);
});

test('trailing bytes, varint overflow, a string index out of range and a huge count are refused', () => {
  const reason = (bytes: number[] | Buffer) => {
    try {
      decodeBatch(Buffer.from(bytes));
    } catch (e) {
      assert.ok(isCodecError(e), String(e));
      return (e as CodecError).reason;
    }
    return 'decoded';
  };
  assert.equal(reason(Buffer.concat([encodeBatch(realSamples()), Buffer.from([0])])), 'corrupt');
  assert.equal(reason([1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'corrupt');
  // One sample, base 0, deviceId: table entry 5 of an empty table.
  assert.equal(reason([1, 1, 1, 0, 6, 0, 0, 0, 0, 0]), 'corrupt');
  // A billion samples in ten bytes; then a string claiming 2^40 bytes.
  assert.equal(reason([1, 1, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0, 0, 0, 0, 0]), 'truncated');
  assert.equal(reason([1, 1, 1, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]), 'truncated');
  // A number tag other than 0/1 in its low bit's odd half.
  assert.equal(reason([1, 1, 1, 0, 0, 2, 0x61, 0, 2, 0x62, 0, 0, 3]), 'corrupt');
  // Invalid UTF-8.
  assert.equal(reason([1, 1, 1, 0, 0, 2, 0xff, 0, 2, 0x62, 0, 0, 0]), 'corrupt');
  assert.equal(reason([1, 1, 1, 0, 0, 2, 0x61, 0, 2, 0x62, 0, 0, 0, 0]), 'decoded');
});

/** Decodes; anything thrown must be a CodecError, and a result must be an array of records. */
function decodeOnly(bytes: Uint8Array): void {
  try {
    const out = decodeBatch(bytes);
    assert.ok(Array.isArray(out));
  } catch (e) {
    if (!isCodecError(e)) throw e;
  }
}

test('random garbage throws only CodecError (10,000 inputs)', () => {
  const valid = realBatches()
    .filter((b) => b.length)
    .map((b) => encodeBatch(b));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 512 }),
        // Behind a valid header, so that garbage reaches the records' layouts.
        fc
          .tuple(fc.integer({ min: 1, max: 6 }), fc.nat(40), fc.uint8Array({ maxLength: 512 }))
          .map(([k, n, rest]) => Uint8Array.from([CODEC_VERSION, k, n, 0, ...rest])),
        // Valid batches with bytes changed, removed or inserted.
        fc
          .tuple(
            fc.constantFrom(...valid),
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'add'))),
          )
          .map(([buf, edits]) => {
            const b = [...buf];
            for (const [at, byte, op] of edits) {
              const i = at % (b.length + 1);
              if (op === 'set') b[i % b.length] = byte;
              else if (op === 'cut') b.splice(i, 1);
              else b.splice(i, 0, byte);
            }
            return Uint8Array.from(b);
          }),
      ),
      (bytes) => decodeOnly(bytes),
    ),
    { numRuns: 10_000 },
  );
});
