/** Random and mutated datagrams thrown at the live receiver: it stays up, counts them, and still receives. */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeCommunityMessage, encodePdu, encodeV3Message } from '../../src/collectors/trap/encode.ts';
import { PDU } from '../../src/collectors/trap/message.ts';
import { integer, oid, octets, seq, TAG, tlv, unsigned } from '../../src/model/ber.ts';
import { localizeKey, passwordToKey } from '../../src/collectors/trap/usm.ts';
import { startReceiver, wait, type RunningReceiver } from './harness.ts';

const varbinds = seq(
  seq(oid('1.3.6.1.2.1.1.3.0'), unsigned(42, TAG.TimeTicks)),
  seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid('1.3.6.1.6.3.1.1.5.3')),
  seq(oid('1.3.6.1.2.1.2.2.1.1.5'), integer(5)),
);
const v2Trap = encodeCommunityMessage('v2c', 'public', encodePdu(PDU.TrapV2, 7, varbinds));
const engineId = Buffer.from('8000000001020304', 'hex');
const v3Trap = encodeV3Message(
  1,
  65507,
  false,
  {
    engineId,
    engineBoots: 1,
    engineTime: 1,
    userName: 'fuzz',
    auth: { protocol: 'sha256', key: localizeKey('sha256', passwordToKey('sha256', 'fuzzpass1'), engineId) },
  },
  engineId,
  '',
  encodePdu(PDU.TrapV2, 9, varbinds),
);
const v1Trap = seq(
  integer(0),
  octets('public'),
  tlv(
    PDU.TrapV1,
    Buffer.concat([
      oid('1.3.6.1.4.1.9'),
      Buffer.from([0x40, 4, 10, 0, 0, 1]),
      integer(6),
      integer(1),
      unsigned(5, TAG.TimeTicks),
      seq(),
    ]),
  ),
);
const seeds = [v2Trap, v3Trap, v1Trap];

describe('trap receiver fuzz', () => {
  let rx: RunningReceiver;
  const sock = createSocket('udp4');
  before(async () => {
    rx = await startReceiver({
      communities: ['public'],
      users: [{ user: 'fuzz', authProtocol: 'sha256', authKey: 'fuzzpass1' }],
    });
  });
  after(async () => {
    sock.close();
    await rx.stop();
  });
  const send = (b: Uint8Array) => new Promise<void>((r) => sock.send(b, rx.port, '127.0.0.1', () => r()));

  it('accepts the unmutated seeds', async () => {
    for (const s of seeds) await send(s);
    const got = await rx.waitFor(3);
    assert.equal(got.length, 3);
  });

  it('survives random and mutated packets, counting each, and still receives afterwards', async () => {
    const before = rx.collector.stats!() as { received: number; accepted: number; dropped: number };
    const mutated = fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
      )
      .map(([seed, flips, cut, truncate]) => {
        const b = Buffer.from(seed);
        for (const [at, v] of flips) b[at % b.length] = v;
        return truncate ? b.subarray(0, cut % b.length) : b;
      });
    const random = fc.uint8Array({ minLength: 0, maxLength: 600 });
    const samples = fc.sample(fc.oneof(mutated, random), { numRuns: 3000, seed: 20261125 });
    let sent = 0;
    for (const pkt of samples) {
      if (pkt.length === 0) continue; // zero-length datagrams are not reported by every kernel
      await send(pkt);
      sent++;
    }
    await wait(300);
    const afterFuzz = rx.collector.stats!() as {
      received: number;
      accepted: number;
      dropped: number;
      dropReasons: Record<string, number>;
    };
    assert.equal(afterFuzz.received - before.received, sent);
    assert.equal(
      afterFuzz.received,
      afterFuzz.accepted + afterFuzz.dropped + (afterFuzz as unknown as { discoveries: number }).discoveries,
    );
    assert.ok(afterFuzz.dropped - before.dropped > sent / 2, 'most fuzz is dropped');
    const n = rx.records.length;
    await send(v2Trap);
    const got = await rx.waitFor(n + 1);
    assert.equal(got[n].trapOid, '1.3.6.1.6.3.1.1.5.3');
  });
});
