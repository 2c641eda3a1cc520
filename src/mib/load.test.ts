import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadMibDictionary } from './load.ts';

const work = mkdtempSync(join(tmpdir(), 'vigil-mib-'));
after(() => rmSync(work, { recursive: true, force: true }));

const mibDir = join(work, 'mibs');
const dataDir = join(work, 'data');
const opts = { dirs: [mibDir], includeSystemMibs: false, dataDir };

// A module named unlike its file (no extension), importing from the built-in set by module name.
const ACME = `ACME-SMALL-MIB DEFINITIONS ::= BEGIN
IMPORTS enterprises, OBJECT-TYPE, MODULE-IDENTITY FROM SNMPv2-SMI
        DisplayString FROM SNMPv2-TC;
acmeSmall MODULE-IDENTITY
    LAST-UPDATED "202611250000Z" ORGANIZATION "Acme" CONTACT-INFO "noc@acme.example"
    DESCRIPTION "Acme small MIB."
    REVISION "202611250000Z" DESCRIPTION "First."
    ::= { enterprises 99998 }
acmeBanner OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only STATUS current
    DESCRIPTION "The login banner." ::= { acmeSmall 1 }
END
`;

test('compiles once, reloads from the cache, recompiles when a file changes', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(mibDir, { recursive: true });
  writeFileSync(join(mibDir, 'acme-small'), ACME);
  writeFileSync(
    join(mibDir, 'broken.my'),
    'BROKEN-MIB DEFINITIONS ::= BEGIN\nx OBJECT IDENTIFIER ::= { enterprises 1 (\nEND\n',
  );

  const first = await loadMibDictionary(opts);
  assert.equal(first.loadInfo.fromCache, false);
  assert.equal(first.translate('1.3.6.1.4.1.99998.1.0').full, 'ACME-SMALL-MIB::acmeBanner.0');
  assert.equal(first.translate('1.3.6.1.2.1.2.2.1.8.1').full, 'IF-MIB::ifOperStatus.1', 'built-in set loaded');
  assert.deepEqual(
    first.errors().map((e) => [e.file.endsWith('broken.my'), e.line]),
    [[true, 2]],
  );

  const second = await loadMibDictionary(opts);
  assert.equal(second.loadInfo.fromCache, true);
  assert.equal(second.stats().nodes, first.stats().nodes);
  assert.equal(second.resolve('ACME-SMALL-MIB::acmeBanner.0'), '1.3.6.1.4.1.99998.1.0');
  assert.equal(second.lookup('acmeBanner')?.description, 'The login banner.');
  assert.equal(second.lookup('acmeBanner')?.syntax?.hint, '255a');
  assert.deepEqual(second.lookup('IF-MIB::ifInOctets')?.rowIndex, [{ name: 'ifIndex', oid: '1.3.6.1.2.1.2.2.1.1' }]);
  assert.equal(second.errors().length, 1);
  assert.equal(second.modules.find((m) => m.name === 'ACME-SMALL-MIB')?.oid, '1.3.6.1.4.1.99998');

  appendFileSync(
    join(mibDir, 'acme-small'),
    'ACME-EXTRA-MIB DEFINITIONS ::= BEGIN\nacmeExtra OBJECT IDENTIFIER ::= { acmeSmall 2 }\nEND\n',
  );
  const third = await loadMibDictionary(opts);
  assert.equal(third.loadInfo.fromCache, false);
  assert.equal(third.translate('1.3.6.1.4.1.99998.2').full, 'ACME-EXTRA-MIB::acmeExtra');
});

test('tree, search and formatting on the built-in set', async () => {
  const dict = await loadMibDictionary({ includeSystemMibs: false });
  assert.deepEqual(
    dict
      .children('1.3.6.1.2.1.1')
      .slice(0, 3)
      .map((n) => n.name),
    ['sysDescr', 'sysObjectID', 'sysUpTime'],
  );
  assert.equal(dict.search('ifHCInOctets')[0]?.name, 'ifHCInOctets');
  assert.ok(dict.search('discontinuities in the value of this counter').length > 0, 'description search');
  assert.equal(dict.formatValue('1.3.6.1.2.1.2.2.1.7.4', 2), 'down(2)');
  assert.equal(dict.formatValue('1.3.6.1.2.1.2.2.1.6.4', '00:1b:21:3c:4d:5e'), '00:1b:21:3c:4d:5e');
  assert.equal(
    dict.formatBytes('1.3.6.1.2.1.2.2.1.6.4', Uint8Array.from([0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e])),
    '00:1b:21:3c:4d:5e',
  );
  assert.equal(dict.formatValue('1.3.6.1.2.1.25.1.2.0', '07ea0b190d1e0f002b0100'), '2026-11-25,13:30:15.0,+1:0');
  assert.equal(
    dict.formatValue('1.3.6.1.2.1.1.2.0', '1.3.6.1.4.1.8072.3.2.10', 'ObjectIdentifier'),
    'NET-SNMP-TC::linux',
  );
  assert.equal(dict.formatValue('1.3.6.1.2.1.1.3.0', 360000, 'TimeTicks'), '(360000) 1:00:00.00');
  // InetAddress in an index: ipAddressIfIndex.ipv4."10.0.0.1"
  const t = dict.translate('1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1');
  assert.equal(t.full, 'IP-MIB::ipAddressIfIndex.ipv4."10.0.0.1"');
  assert.equal(dict.resolve(t.full), '1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1');
  assert.equal(dict.translate('9.9.9').full, '9.9.9', 'unknown OIDs stay numeric');
});

test('octet strings given as text or hex are told apart by the fixed SIZE', async () => {
  const dict = await loadMibDictionary({ includeSystemMibs: false });
  // ifPhysAddress is PhysAddress (no fixed size); dot1dTpFdbAddress is MacAddress, SIZE (6).
  assert.equal(dict.formatValue('1.3.6.1.2.1.17.4.3.1.1.0.1.2.3.4.5', 'ABCDEF'), '41:42:43:44:45:46');
  assert.equal(dict.formatValue('1.3.6.1.2.1.17.4.3.1.1.0.1.2.3.4.5', '0a0b0c0d0e0f'), '0a:0b:0c:0d:0e:0f');
  assert.equal(dict.formatValue('1.3.6.1.2.1.2.2.1.2.1', 'eth0'), 'eth0');
});
