import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { integer, oid, seq } from '../../model/ber.ts';
import { encodeCommunityMessage, encodePdu, encodeV3Message } from './encode.ts';
import { PDU } from './message.ts';
import { createProcessor } from './process.ts';
import { localizeKey, passwordToKey } from './usm.ts';

const engine = { id: Buffer.from('80000000050102030405', 'hex'), boots: 1, startMs: 0 };
const vbs = seq(
  seq(oid('1.3.6.1.6.3.1.1.4.1.0'), oid('1.3.6.1.6.3.1.1.5.1')),
  seq(oid('1.3.6.1.2.1.1.5.0'), integer(1)),
);

describe('trap processor', () => {
  it('rejects every community when none is configured (secure default)', () => {
    const p = createProcessor({ communities: [], acceptAnyCommunity: false, users: [], engine });
    const out = p.process(encodeCommunityMessage('v2c', 'public', encodePdu(PDU.TrapV2, 1, vbs)), 0);
    assert.equal(out.kind, 'drop');
    assert.equal(out.kind === 'drop' && out.reason, 'bad-community');
  });
  it('acknowledges a v2c inform with a Response echoing request-id and varbinds', () => {
    const p = createProcessor({ communities: ['x'], acceptAnyCommunity: false, users: [], engine });
    const out = p.process(encodeCommunityMessage('v2c', 'x', encodePdu(PDU.InformRequest, 77, vbs)), 0);
    assert.equal(out.kind, 'notification');
    assert.deepEqual(
      out.kind === 'notification' && out.reply,
      encodeCommunityMessage('v2c', 'x', encodePdu(PDU.Response, 77, vbs)),
    );
  });
  it('answers v3 discovery with a report carrying its engine ID', () => {
    const p = createProcessor({ communities: [], acceptAnyCommunity: false, users: [], engine });
    const probe = encodeV3Message(
      9,
      65507,
      true,
      { engineId: Buffer.alloc(0), engineBoots: 0, engineTime: 0, userName: '' },
      Buffer.alloc(0),
      '',
      encodePdu(PDU.GetRequest, 5, seq()),
    );
    const out = p.process(probe, 5000);
    assert.equal(out.kind, 'reply');
    assert.ok(out.kind === 'reply' && out.reply.includes(engine.id));
  });
  it('refuses a copy of an authenticated v3 trap, and answers a resent inform again without recording it twice', () => {
    const p = createProcessor({
      communities: [],
      acceptAnyCommunity: false,
      users: [{ user: 'ops', authProtocol: 'sha256', authKey: 'authpass1' }],
      engine,
    });
    const sender = Buffer.from('800000000506060606', 'hex');
    const key = (id: Buffer) => localizeKey('sha256', passwordToKey('sha256', 'authpass1'), id);
    const trap = (msgId: number) =>
      encodeV3Message(
        msgId,
        65507,
        false,
        {
          engineId: sender,
          engineBoots: 3,
          engineTime: 500,
          userName: 'ops',
          auth: { protocol: 'sha256', key: key(sender) },
        },
        sender,
        '',
        encodePdu(PDU.TrapV2, msgId, vbs),
      );
    assert.equal(p.process(trap(1), 1000).kind, 'notification');
    const again = p.process(trap(1), 2000);
    assert.equal(again.kind === 'drop' && again.reason, 'duplicate');
    assert.equal(p.process(trap(2), 2000).kind, 'notification', 'a new message from the same sender is taken');
    assert.equal(p.process(trap(1), 1000 + 151_000).kind, 'notification', 'remembered for the time window only');

    const inform = encodeV3Message(
      7,
      65507,
      true,
      {
        engineId: engine.id,
        engineBoots: engine.boots,
        engineTime: 10,
        userName: 'ops',
        auth: { protocol: 'sha256', key: key(engine.id) },
      },
      engine.id,
      '',
      encodePdu(PDU.InformRequest, 70, vbs),
    );
    const first = p.process(inform, 10_000);
    assert.equal(first.kind, 'notification');
    const resent = p.process(inform, 11_000);
    assert.equal(resent.kind === 'drop' && resent.reason, 'duplicate');
    assert.ok(
      resent.kind === 'drop' && resent.reply && first.kind === 'notification' && first.reply,
      'answered both times',
    );
  });
  it('never throws on arbitrary bytes', () => {
    const p = createProcessor({
      communities: ['public'],
      acceptAnyCommunity: true,
      users: [{ user: 'u', authProtocol: 'sha', authKey: 'authpass1' }],
      engine,
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void p.process(Buffer.from(b), 0)),
      { numRuns: 5000, seed: 7 },
    );
  });
});
