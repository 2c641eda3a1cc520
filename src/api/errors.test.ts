import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { silentLogger } from '../model/logger.ts';
import { installErrorHandling, sendFrameworkError } from './errors.ts';

test('a path the router cannot decode, or an over-long parameter, leaves in the stable error shape', async () => {
  const app = Fastify({ frameworkErrors: sendFrameworkError });
  installErrorHandling(app, silentLogger);
  app.get('/x/:id', async (req) => req.params);
  try {
    for (const [url, status] of [
      ['/x/%E0%A4%A', 400],
      ['/x/%', 400],
      [`/x/${'a'.repeat(1000)}`, 414],
    ] as const) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, status, url);
      const body = res.json();
      assert.deepEqual(Object.keys(body), ['error']);
      assert.equal(body.error.code, 'VIGIL_BAD_REQUEST');
      assert.equal(typeof body.error.message, 'string');
    }
    assert.deepEqual((await app.inject({ method: 'GET', url: '/x/%25E0' })).json(), { id: '%E0' });
  } finally {
    await app.close();
  }
});
