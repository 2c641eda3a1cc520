import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFpingArgs } from './fping.ts';
import { icmpConfigSchema } from './config.ts';
import { runFpingOnce } from './run-fping.ts';

const config = icmpConfigSchema.parse({ count: 2 });

test('buildFpingArgs: targets come after --, so none is read as an option', () => {
  const args = buildFpingArgs(['127.0.0.1', 'sw1'], config);
  assert.deepEqual(args.slice(-3), ['--', '127.0.0.1', 'sw1']);
  assert.equal(args.indexOf('--'), args.length - 3);
});

test('runFpingOnce: a target that is not an address never reaches fping and fails alone', async () => {
  const calls: string[][] = [];
  const runner = async (_path: string, args: string[]) => {
    calls.push(args);
    return '127.0.0.1 : 0.10 0.20\n';
  };
  const { results } = await runFpingOnce(['127.0.0.1', '-Z', '--help', 'a b'], config, { runner });
  assert.equal(calls.length, 1);
  const targets = calls[0].slice(calls[0].indexOf('--') + 1);
  assert.deepEqual(targets, ['127.0.0.1']);
  assert.equal(results.get('127.0.0.1')?.lossPct, 0);
  for (const bad of ['-Z', '--help', 'a b']) {
    assert.equal(results.get(bad)?.lossPct, 100, bad);
    assert.match(results.get(bad)?.error ?? '', /not an IP address or host name/, bad);
  }
});

test('runFpingOnce: with only bad targets fping is not run', async () => {
  let called = false;
  const { results } = await runFpingOnce(['-Z'], config, {
    runner: async () => {
      called = true;
      return '';
    },
  });
  assert.equal(called, false);
  assert.equal(results.get('-Z')?.received, 0);
});
