/**
 * validateConfig on hostile input: random JSON values, and a full valid config with parts replaced, added or removed
 * (keys of any spelling, values of any type). It returns a config or throws VIGIL_CONFIG whose detail lines are one
 * line each and start with the path of what is wrong; nothing else escapes (no TypeError from a refinement, no
 * SyntaxError from a rule's regex, no error from a cron expression).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isVigilError } from '../model/errors.ts';
import { validateConfig } from './load.ts';

const base = {
  dataDir: '/var/lib/vigil',
  log: { level: 'info' },
  http: { port: 8080 },
  store: { retentionDays: { raw: 7, '5m': 90, '1h': 730 } },
  icmp: { intervalS: 60, count: 3 },
  snmp: { intervalS: 60, concurrency: 64 },
  credentials: {
    'core-v3': {
      version: 'v3',
      user: 'nms',
      securityLevel: 'authPriv',
      authProtocol: 'sha256',
      authKey: 'authkey-1',
      privProtocol: 'aes256',
      privKey: 'privkey-1',
    },
    legacy: { version: 'v2c', community: 'public' },
  },
  devices: [
    { name: 'core-sw1', address: '10.0.0.1', group: 'dc1', tags: ['core'], snmpProfile: 'core-v3' },
    {
      name: 'edge-1',
      address: 'edge-1.example.net',
      parent: 'core-sw1',
      snmp: { version: 'v2c', community: 'c' },
      pollIntervalS: 300,
    },
  ],
  syslog: {
    udp: { port: 5514 },
    rules: [
      {
        id: 'ssh-fail',
        app: 'sshd',
        host: 'core-*',
        minSeverity: 'info',
        regex: 'Failed password for (?<user>\\S+)',
        raise: 'minor',
        summary: '{{user}} failed',
        dedupKey: 'ssh:{{user}}',
      },
    ],
  },
  traps: {
    port: 1162,
    communities: ['public'],
    users: [
      { user: 'trapper', authProtocol: 'sha512', authKey: 'authkey-2', privProtocol: 'aes256', privKey: 'privkey-2' },
    ],
  },
  events: {
    thresholds: [
      {
        id: 'util',
        metric: 'if.in.util.pct',
        devices: { tags: ['core'] },
        components: { ifName: 'Te*' },
        condition: 'above',
        levels: [{ severity: 'warning', value: 80, recovery: 75 }],
        forS: 120,
        summary: '{{device}} at {{value}}',
      },
    ],
    correlations: [
      {
        id: 'brute',
        windowS: 60,
        when: { event: { ruleId: 'ssh-fail' }, count: 5 },
        raise: { summary: 'brute force on {{host}}', severity: 'critical' },
      },
      {
        id: 'degr',
        windowS: 300,
        scope: { by: 'path' },
        conditions: {
          errors: { event: { ruleId: 'util' } },
          loss: { metric: { name: 'icmp.loss.pct', op: '>', value: 20 } },
        },
        expression: 'errors AND loss',
        raise: { summary: 'x', severity: 'major' },
      },
    ],
    maintenance: [
      { id: 'sunday', devices: { groups: ['lab'] }, cron: '0 2 * * 0', durationM: 120, tz: 'Europe/Paris' },
      { id: 'swap', devices: { ids: ['sw1'] }, start: '2026-12-01T22:00:00Z', end: '2026-12-01T23:00:00Z' },
    ],
  },
  notify: {
    channels: [
      {
        id: 'mail',
        type: 'email',
        host: 'smtp.example.com',
        port: 587,
        from: 'vigil@example.com',
        to: ['noc@example.com'],
      },
      { id: 'hook', type: 'webhook', url: 'https://hooks.example.com/x', headers: { 'X-Api-Key': 'k' } },
      { id: 'chat', type: 'slack', url: 'https://hooks.slack.com/services/T/B/C' },
    ],
    routes: [{ id: 'oncall', match: { minSeverity: 'major' }, channels: ['mail', 'chat'] }],
  },
};

/** A path is dotted names and [n] indexes, or (root); names that are not plain are written ["…"]. */
const PATH =
  /^(?:\(root\)|(?:[A-Za-z0-9_$-]+|\["(?:[^"\\\n]|\\.)*"\])(?:\.[A-Za-z0-9_$-]+|\[\d+\]|\["(?:[^"\\\n]|\\.)*"\])*): \S/;

function check(raw: unknown): void {
  try {
    validateConfig(raw);
  } catch (e) {
    assert.ok(isVigilError(e), `not a VigilError: ${(e as Error)?.stack ?? String(e)}`);
    assert.equal(e.code, 'VIGIL_CONFIG');
    const lines = e.details as string[];
    assert.ok(Array.isArray(lines) && lines.length > 0, e.message);
    for (const line of lines) {
      assert.ok(!line.includes('\n'), `a detail over two lines: ${JSON.stringify(line)}`);
      assert.match(line, PATH);
    }
    assert.equal(e.message, `config: invalid configuration\n  ${lines.join('\n  ')}`);
  }
}

/** Every path (list of keys) into a JSON-like value. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
const basePaths = paths(base);

const key = fc.oneof(
  fc.constantFrom(
    'name',
    'address',
    'port',
    'version',
    'id',
    'kind',
    '5m',
    '__proto__',
    'constructor',
    '',
    'a.b',
    'a b',
    'x"y',
    'a\nb',
    '[0]',
    '\u0000',
  ),
  fc.string({ maxLength: 8 }),
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    Number.POSITIVE_INFINITY,
    -0,
    Number.NaN,
    65536,
    2 ** 53,
    '',
    ' ',
    '-Z',
    '*',
    '((((',
    '(a+)+$',
    '\\',
    'v3',
    'sha999',
    '99 99 * * *',
    '2026-13-45',
    'Not/AZone',
    [],
    {},
    [[]],
    { '': 1 },
  ),
);
const edit = fc.tuple(fc.nat(), fc.constantFrom('replace', 'add', 'delete'), key, value);

function applyEdits(edits: [number, string, string, unknown][]): unknown {
  const config = structuredClone(base) as Record<string, unknown>;
  for (const [n, op, k, v] of edits) {
    const path = basePaths[n % basePaths.length];
    if (path.length === 0) {
      if (op === 'add')
        Object.defineProperty(config, k, { value: v, enumerable: true, configurable: true, writable: true });
      continue;
    }
    let parent: unknown = config;
    for (const p of path.slice(0, -1))
      parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[p] : undefined;
    if (!parent || typeof parent !== 'object') continue;
    const last = path[path.length - 1];
    const target = parent as Record<string | number, unknown>;
    if (op === 'replace') target[last] = v;
    else if (op === 'delete') delete target[last];
    else {
      const child = target[last];
      if (Array.isArray(child)) child.push(v);
      else if (child && typeof child === 'object')
        Object.defineProperty(child, k, { value: v, enumerable: true, configurable: true, writable: true });
    }
  }
  return config;
}

test('the base config is valid', () => {
  assert.doesNotThrow(() => validateConfig(base));
});

test('random JSON values: a config or VIGIL_CONFIG with one path per line', () => {
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.object(), fc.dictionary(key, value)), check), {
    numRuns: 2000,
    seed: 11,
  });
});

test('a full config with parts replaced, added or removed: a config or VIGIL_CONFIG with one path per line', () => {
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }).map(applyEdits), check), {
    numRuns: 3000,
    seed: 20261125,
  });
});

test('a key that is not a plain name is quoted in the path; input text never starts a new line', () => {
  assert.throws(
    () => validateConfig({ credentials: { 'core v3': { version: 'v2c' } } }),
    /credentials\["core v3"\]\.community: required/,
  );
  assert.throws(
    () => validateConfig({ http: { 'a\nb': 1, '': 2 } }),
    (e: Error) => isVigilError(e) && (e.details as string[])[0] === 'http["a\\nb"]: unknown key (also "")',
  );
  assert.throws(
    () => validateConfig({ devices: [{ name: 'a', address: '10.0.0.1', snmpProfile: 'x\ny' }] }),
    (e: Error) => isVigilError(e) && (e.details as string[]).every((l) => !l.includes('\n')),
  );
});
