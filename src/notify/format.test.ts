import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VigilEvent } from '../model/events.ts';
import { channelSchema } from './config.ts';
import { buildMessage } from './email/message.ts';
import { subjectOf, textOf } from './format.ts';
import { buildRequestBody as slackBody } from './slack/body.ts';
import type { SlackChannel } from './slack/config.ts';
import type { DigestChange, MessageEvent, NotificationMessage } from './types.ts';
import { buildRequestBody as webhookBody } from './webhook/body.ts';
import type { WebhookChannel } from './webhook/config.ts';
import type { EmailChannel } from './email/config.ts';

const ev = (id: string, state: VigilEvent['state'], changes: DigestChange[]): MessageEvent => ({
  kind: 'event',
  id,
  dedupKey: id,
  source: 'icmp',
  deviceId: 'r1',
  deviceName: 'core-sw1',
  severity: 'major',
  state,
  firstSeen: 0,
  lastSeen: 0,
  count: 1,
  summary: `${id} down`,
  changes,
});

const digest: NotificationMessage = {
  kind: 'digest',
  ts: 600_000,
  events: [
    ev('a', 'open', ['opened']),
    ev('b', 'open', ['opened']),
    ev('c', 'cleared', ['opened', 'cleared']),
    ev('d', 'cleared', ['cleared']),
    ev('e', 'open', ['renotified']),
  ],
  digest: { since: 300_000, opened: 3, cleared: 2, stillOpen: 2, renotified: 1, escalated: 0 },
};

test('a digest subject counts what opened and cleared', () => {
  assert.equal(subjectOf(digest), 'DIGEST: 3 opened, 2 cleared (2 still open), 1 re-notified');
  assert.equal(
    subjectOf({ ...digest, digest: { ...digest.digest!, renotified: 0 } }),
    'DIGEST: 3 opened, 2 cleared (2 still open)',
  );
});

test('a digest text groups each event once, by whether it opened in the period and its latest state', () => {
  const text = textOf(digest);
  const titles = text.split('\n').filter((l) => /^\S.*\(\d+\):$/.test(l));
  assert.deepEqual(titles, [
    'Opened, still open (2):',
    'Opened and cleared (1):',
    'Cleared (1):',
    'Still open, re-notified or escalated (1):',
  ]);
  assert.match(text, /^Since 1970-01-01T00:05:00.000Z:/);
  assert.match(text, /CLEARED core-sw1: c down \[opened, cleared\]/);
  assert.equal(text.match(/event c$/gm)?.length, 1);
});

test('each driver carries a digest: webhook kind and counts, slack and email subject and changes', () => {
  const hook = channelSchema.parse({
    id: 'h',
    type: 'webhook',
    url: 'http://127.0.0.1:1/x',
    digestM: 5,
  }) as WebhookChannel;
  const body = JSON.parse(webhookBody(hook, digest).body);
  assert.equal(body.kind, 'digest');
  assert.deepEqual(body.digest, digest.digest);
  assert.deepEqual(body.events[2].changes, ['opened', 'cleared']);
  const plain = JSON.parse(webhookBody(hook, { kind: 'raise', ts: 0, events: [ev('a', 'open', [])] }).body);
  assert.equal('digest' in plain, false, 'ordinary bodies are unchanged');
  const templated = JSON.parse(webhookBody({ ...hook, template: '{"d": {{digest}}}' }, digest).body);
  assert.equal(templated.d.opened, 3);

  const slack = slackBody(
    channelSchema.parse({ id: 's', type: 'slack', url: 'http://127.0.0.1:1/y' }) as SlackChannel,
    digest,
  );
  assert.equal(slack.text, 'DIGEST: 3 opened, 2 cleared (2 still open), 1 re-notified');
  assert.match((slack.attachments as { text: string }[])[2].text, /\[opened, cleared\]$/);

  const mail = buildMessage(
    channelSchema.parse({
      id: 'm',
      type: 'email',
      host: '127.0.0.1',
      from: 'v@x.test',
      to: ['n@x.test'],
    }) as EmailChannel,
    digest,
  );
  assert.equal(mail.subject, '[Vigil] DIGEST: 3 opened, 2 cleared (2 still open), 1 re-notified');
  assert.match(mail.text, /Opened and cleared \(1\):/);
  assert.match(mail.html, /c down \[opened, cleared\]/);
});

test('digestM is accepted by every channel type and must be positive', () => {
  for (const c of [
    { id: 'h', type: 'webhook', url: 'http://127.0.0.1:1/x' },
    { id: 's', type: 'slack', url: 'http://127.0.0.1:1/y' },
    { id: 'm', type: 'email', host: '127.0.0.1', from: 'v@x.test', to: ['n@x.test'] },
  ]) {
    assert.equal(channelSchema.parse({ ...c, digestM: 15 }).digestM, 15);
    assert.equal(channelSchema.parse(c).digestM, undefined);
    assert.equal(channelSchema.safeParse({ ...c, digestM: 0 }).success, false);
  }
});
