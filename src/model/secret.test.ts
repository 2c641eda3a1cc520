import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { validateConfig } from '../config/load.ts';
import { configSchema } from '../config/schema.ts';
import { redactBySchema, secret, secretUrl } from './secret.ts';

test('every secret of a full config is masked by its schema type, whatever its key is called', () => {
  const config = validateConfig({
    credentials: {
      lab: {
        version: 'v3',
        user: 'u',
        securityLevel: 'authPriv',
        authProtocol: 'sha256',
        authKey: 'S-authkey-1',
        privProtocol: 'aes',
        privKey: 'S-privkey-1',
      },
    },
    devices: [{ name: 'd', address: '127.0.0.1', snmp: { version: 'v2c', community: 'S-community-1' } }],
    traps: {
      communities: ['S-trapcomm-1'],
      users: [
        {
          user: 'trapper',
          authProtocol: 'sha512',
          authKey: 'S-trapauth-1',
          privProtocol: 'aes256',
          privKey: 'S-trappriv-1',
        },
      ],
    },
    notify: {
      channels: [
        {
          id: 'w',
          type: 'webhook',
          url: 'https://hooks.example.com/services/S-webhookpath-1?token=S-query-1',
          headers: { Authorization: 'Bearer S-header-1', 'X-Api-Key': 'S-header-2' },
          hmacSecret: 'S-hmac-1',
        },
        { id: 's', type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/S-slackpath-1' },
        {
          id: 'e',
          type: 'email',
          host: '127.0.0.1',
          from: 'a@b.c',
          to: ['x@y.z'],
          auth: { user: 'mailer', password: 'S-smtp-1' },
        },
      ],
    },
  });
  const shown = JSON.stringify(redactBySchema(configSchema, config));
  assert.doesNotMatch(shown, /S-[a-z]+-\d/, shown);
  const r = redactBySchema(configSchema, config);
  assert.equal(
    r.notify.channels[0].type === 'webhook' && r.notify.channels[0].url,
    'https://hooks.example.com/<secret>',
  );
  assert.equal(r.devices[0].snmp?.community, '<secret>');
  assert.equal(r.traps.users[0].user, 'trapper', 'what is not a secret stays');
  assert.equal(r.notify.channels[2].type === 'email' && r.notify.channels[2].auth?.user, 'mailer');
  // The original is untouched.
  assert.equal(config.devices[0].snmp?.community, 'S-community-1');
});

test('secrets are found through wrappers, records, arrays, unions and pipes', () => {
  const schema = z.object({
    a: secret().optional(),
    b: z.record(z.string(), z.array(secret())).default({}),
    c: z.union([z.object({ k: z.literal(1), p: secret() }), z.object({ k: z.literal(2), q: secretUrl() })]),
    d: secret().transform((s) => s.trim()),
    e: z.lazy(() => z.object({ f: secret().nullable() })),
  });
  const v = schema.parse({ a: 'x', b: { m: ['y', 'z'] }, c: { k: 2, q: 'http://h:81/p?q' }, d: ' w ', e: { f: null } });
  assert.deepEqual(redactBySchema(schema, v), {
    a: '<secret>',
    b: { m: ['<secret>', '<secret>'] },
    c: { k: 2, q: 'http://h:81/<secret>' },
    d: '<secret>',
    e: { f: null },
  });
});
