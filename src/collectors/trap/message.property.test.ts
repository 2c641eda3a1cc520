/**
 * The trap decoders on hostile input: random bytes, random TLV trees shaped like SNMP, and valid v1/v2c/v3 messages
 * mutated (bytes changed, cut, inserted, lengths rewritten). They return a message or throw their own BerError,
 * nothing else, and always finish (each TLV header consumes at least two bytes).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BerError, BerReader, integer, octets, oid, seq, TAG, tlv, unsigned, unsigned64 } from '../../model/ber.ts';
import { encodeCommunityMessage, encodePdu, encodeV3Message } from './encode.ts';
import { decodeMessage, decodePdu, decodeScopedPdu, PDU } from './message.ts';
import { pduToTrapRecord } from './record.ts';
import { localizeKey, passwordToKey, privKeyFor } from './usm.ts';

const varbinds = seq(
  seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(42, TAG.TimeTicks)),
  seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid('1.3.6.1.6.3.1.1.5.3')),
  seq(oid('1.3.6.1.2.1.2.2.1.2.5'), octets('Gi0/5')),
  seq(oid('1.3.6.1.2.1.31.1.1.1.6.5'), unsigned64('18446744073709551615')),
  seq(oid('1.3.6.1.2.1.4.20.1.1.10.0.0.1'), tlv(TAG.IpAddress, Buffer.from([10, 0, 0, 1]))),
  seq(oid('1.3.6.1.2.1.2.2.1.8.5'), integer(-2)),
  seq(oid('1.3.6.1.2.1.1.1.0'), Buffer.from([TAG.NoSuchObject, 0])),
);
const engineId = Buffer.from('8000000001020304', 'hex');
const authKey = localizeKey('sha256', passwordToKey('sha256', 'fuzzpass1'), engineId);
const privKey = privKeyFor('sha256', 'aes', passwordToKey('sha256', 'privpass1'), engineId);
const v3 = (priv: boolean) =>
  encodeV3Message(
    1,
    65507,
    true,
    {
      engineId,
      engineBoots: 1,
      engineTime: 1,
      userName: 'fuzz',
      auth: { protocol: 'sha256', key: authKey },
      ...(priv
        ? { priv: { protocol: 'aes' as const, key: privKey, salt: Buffer.from('0102030405060708', 'hex') } }
        : {}),
    },
    engineId,
    'ctx',
    encodePdu(PDU.InformRequest, 9, varbinds),
  );
const seeds = [
  encodeCommunityMessage('v2c', 'public', encodePdu(PDU.TrapV2, 7, varbinds)),
  encodeCommunityMessage(
    'v1',
    'public',
    tlv(
      PDU.TrapV1,
      Buffer.concat([
        oid('1.3.6.1.4.1.9'),
        tlv(TAG.IpAddress, Buffer.from([10, 0, 0, 1])),
        integer(6),
        integer(1),
        unsigned(5, TAG.TimeTicks),
        varbinds,
      ]),
    ),
  ),
  v3(false),
  v3(true),
  encodeV3Message(
    2,
    1500,
    true,
    { engineId: Buffer.alloc(0), engineBoots: 0, engineTime: 0, userName: '' },
    Buffer.alloc(0),
    '',
    encodePdu(PDU.GetRequest, 5, seq()),
  ),
];

/** Runs every decoder that could see these bytes; anything thrown must be a BerError. */
function decodeAll(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes);
  const own = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof BerError)) throw e;
    }
  };
  own(() => {
    const m = decodeMessage(buf);
    if (m.version === 'v3') {
      if (!m.encrypted) {
        const scoped = decodeScopedPdu(m.data);
        pduToTrapRecord(scoped.pdu, { receivedTs: 0, sourceAddress: '192.0.2.1', version: 'v3' });
      }
    } else {
      pduToTrapRecord(m.pdu, {
        receivedTs: 0,
        sourceAddress: '192.0.2.1',
        version: m.version,
        community: m.community,
        deviceByAddress: () => undefined,
      });
    }
  });
  own(() => decodeScopedPdu(buf));
  own(() => decodePdu(new BerReader(buf)));
}

test('the seeds decode', () => {
  for (const s of seeds) assert.doesNotThrow(() => decodeMessage(s));
  const m = decodeMessage(seeds[0]);
  assert.ok(m.version === 'v2c' && m.pdu.varbinds.length === 7);
});

test('random bytes: a message or a BerError, nothing else', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), decodeAll), { numRuns: 20_000, seed: 20261125 });
  // Bytes that start like a message, so that the decoder gets past the first header more often.
  const prefixed = fc
    .tuple(fc.constantFrom(0x30, PDU.TrapV2, PDU.TrapV1), fc.uint8Array({ maxLength: 300 }))
    .map(([t, rest]) =>
      Buffer.concat([
        Buffer.from([t, rest.length < 128 ? rest.length : 0x81, ...(rest.length < 128 ? [] : [rest.length & 0xff])]),
        rest,
      ]),
    );
  fc.assert(fc.property(prefixed, decodeAll), { numRuns: 10_000 });
});

test('random TLV trees shaped like SNMP: a message or a BerError', () => {
  const tags = fc.constantFrom(...Object.values(TAG), ...Object.values(PDU), 0x1f, 0xff, 0x00);
  const { node } = fc.letrec<{ node: Buffer }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(tags, fc.uint8Array({ maxLength: 12 })).map(([t, c]) => tlv(t, Buffer.from(c))),
      fc.tuple(fc.constantFrom(TAG.Integer), fc.integer()).map(([, v]) => integer(v)),
      fc.constantFrom(
        oid('1.3.6.1.6.3.1.1.4.1.0'),
        oid('1.3.6.1.2.1.1.3.0'),
        octets('public'),
        Buffer.from([TAG.Null, 0]),
      ),
      fc
        .tuple(
          fc.constantFrom(TAG.Sequence, TAG.OctetString, ...Object.values(PDU)),
          fc.array(tie('node'), { maxLength: 6 }),
        )
        .map(([t, kids]) => tlv(t, Buffer.concat(kids))),
    ),
  }));
  const message = fc
    .tuple(fc.constantFrom(0, 1, 3, 2, -1), fc.array(node, { maxLength: 5 }))
    .map(([v, rest]) => seq(integer(v), ...rest));
  fc.assert(fc.property(fc.oneof(node, message), decodeAll), { numRuns: 10_000, seed: 7 });
});

test('mutated valid messages: a message or a BerError', () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
    // A length rewritten to long form, huge or zero.
    fc.record({
      kind: fc.constant('length' as const),
      at: fc.nat(),
      bytes: fc.constantFrom(
        [0x84, 0xff, 0xff, 0xff, 0xff],
        [0x84, 0, 0, 0, 0],
        [0x80],
        [0x85, 1, 0, 0, 0, 0],
        [0x81, 0x7f],
        [0x00],
        [0x7f],
      ),
    }),
  );
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 5 }))
    .map(([seed, steps]) => {
      let b = Buffer.from(seed);
      for (const s of steps) {
        const at = b.length ? s.at % b.length : 0;
        if (s.kind === 'set' && b.length) b[at] = s.value;
        else if (s.kind === 'cut') b = b.subarray(0, at);
        else if (s.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(s.bytes), b.subarray(at)]);
        else if (s.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + s.n)]);
        else if (s.kind === 'length') b = Buffer.concat([b.subarray(0, at), Buffer.from(s.bytes), b.subarray(at + 1)]);
      }
      return b;
    });
  fc.assert(fc.property(mutated, decodeAll), { numRuns: 20_000, seed: 42 });
});
