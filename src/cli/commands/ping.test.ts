import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { isVigilError } from '../../model/errors.ts';
import { pingCommand } from './ping.ts';

test('vigil ping refuses a target that is not an address before running fping', async () => {
  const program = new Command('vigil').exitOverride();
  pingCommand(program);
  const exitCode = process.exitCode;
  try {
    await assert.rejects(
      program.parseAsync(['ping', '--', '127.0.0.1', '-Z'], { from: 'user' }),
      (e: unknown) =>
        isVigilError(e) && e.code === 'VIGIL_VALIDATION' && /"-Z" is not an IP address or host name/.test(e.message),
    );
  } finally {
    process.exitCode = exitCode;
  }
});
