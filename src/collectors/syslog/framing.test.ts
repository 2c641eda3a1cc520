import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createFramer, type Frame } from './framing.ts';

const text = (frames: Frame[]) => frames.map((f) => (f.truncated ? '!' : '') + f.bytes.toString());
const feed = (chunks: string[], max = 64) => {
  const f = createFramer({ maxMessageBytes: max });
  const out = chunks.flatMap((c) => text(f.push(Buffer.from(c))));
  return { out: [...out, ...text(f.end())], framer: f };
};

test('newline-delimited, CRLF and empty lines', () => {
  const { out, framer } = feed(['<13>a\n<13>b\r\n\n<13', '>c\n']);
  assert.deepEqual(out, ['<13>a', '<13>b', '<13>c']);
  assert.equal(framer.mode, 'newline');
});

test('octet counting across chunk boundaries', () => {
  const { out, framer } = feed(['5 <13>a6 <13>', 'bc1', '0 <13>hello!']);
  assert.deepEqual(out, ['<13>a', '<13>bc', '<13>hello!']);
  assert.equal(framer.mode, 'octet-counting');
});

test('octet-counted messages may contain newlines', () => {
  assert.deepEqual(feed(['10 <13>a\nb\ncd']).out, ['<13>a\nb\ncd']);
});

test('an over-long line is cut and flagged; the next line is intact', () => {
  const long = '<13>' + 'x'.repeat(100);
  const { out } = feed([long.slice(0, 30), long.slice(30) + '\n<13>next\n'], 16);
  assert.deepEqual(out, ['!<13>xxxxxxxxxxxx', '<13>next']);
});

test('an over-long counted frame is cut and flagged; the next frame is intact', () => {
  const body = '<13>' + 'y'.repeat(96);
  const { out } = feed([`100 ${body.slice(0, 50)}`, `${body.slice(50)}9 <13>after`], 16);
  assert.deepEqual(out, ['!<13>yyyyyyyyyyyy', '<13>after']);
});

test('a last message without a newline is delivered at the end', () => {
  assert.deepEqual(feed(['<13>a\n<13>tail']).out, ['<13>a', '<13>tail']);
});

test('a bad length prefix falls back to lines and is counted', () => {
  const { out, framer } = feed(['12x <13>oops\n<13>b\n']);
  assert.deepEqual(out, ['12x <13>oops', '<13>b']);
  assert.equal(framer.errors, 1);
});

test('any chunking gives the same frames (property)', () => {
  const msg = fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((s) => !s.includes('\n') && !s.includes('\r') && !/^[\d \n\r]/.test(s));
  fc.assert(
    fc.property(
      fc.array(msg, { minLength: 1, maxLength: 20 }),
      fc.boolean(),
      fc.array(fc.nat(200), { maxLength: 10 }),
      (msgs, counted, cuts) => {
        const stream = Buffer.from(msgs.map((m) => (counted ? `${Buffer.byteLength(m)} ${m}` : `${m}\n`)).join(''));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const f = createFramer({ maxMessageBytes: 1000 });
        const got: string[] = [];
        let prev = 0;
        for (const p of [...points, stream.length]) {
          got.push(...text(f.push(stream.subarray(prev, p))));
          prev = p;
        }
        got.push(...text(f.end()));
        assert.deepEqual(got, msgs);
      },
    ),
    { numRuns: 500 },
  );
});

test('random bytes never throw', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
      const f = createFramer({ maxMessageBytes: 64 });
      for (const c of chunks) for (const fr of f.push(Buffer.from(c))) assert.ok(fr.bytes.length <= 64);
      f.end();
    }),
  );
});
