import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testDataPath } from '../../test/harness/testdata.ts';
import { readCache } from './cache.ts';
import { compileToCache, openCachedDictionary, type MibLoadOptions } from './load.ts';

const cisco = (name: string) => testDataPath('mibs', 'cisco', name);

test('files dropped into a folder are compiled onto the dictionary without the rest, and give what a full compile gives', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-mib-inc-'));
  try {
    const vendor = join(root, 'vendor');
    mkdirSync(vendor);
    for (const f of ['CISCO-SMI.my', 'CISCO-TC.my', 'CISCO-PROCESS-MIB.my']) copyFileSync(cisco(f), join(vendor, f));
    const opts = (dataDir: string): MibLoadOptions => ({
      dirs: [testDataPath('mibs', 'rfc'), vendor],
      includeSystemMibs: false,
      dataDir,
    });
    const dataDir = join(root, 'data');
    const first = compileToCache(opts(dataDir)).summary;
    assert.equal(first.incremental, undefined, 'the first compile is a full one');

    // Two MIBs dropped in: one imports from what is there (CISCO-SMI, CISCO-TC, SNMPv2-*), one from nothing new.
    for (const f of ['CISCO-ENVMON-MIB.my', 'CISCO-MEMORY-POOL-MIB.my']) copyFileSync(cisco(f), join(vendor, f));
    const second = compileToCache(opts(dataDir)).summary;
    assert.deepEqual(second.incremental?.addedFiles, 2);
    assert.ok(
      second.incremental!.parsedFiles < 20,
      `parsed ${second.incremental!.parsedFiles} files, not the ${second.files} of the search path`,
    );

    // The same files compiled from scratch: the same OIDs with the same names, descriptions and syntaxes.
    const fullDir = join(root, 'full');
    compileToCache({ ...opts(fullDir), force: true });
    const inc = openCachedDictionary(dataDir, undefined)!;
    const full = openCachedDictionary(fullDir, undefined)!;
    assert.equal(inc.stats().nodes, full.stats().nodes);
    // Every OID has the same primary name in both.
    const a = readCache(join(dataDir, 'mib'), undefined)!.table;
    const b = readCache(join(fullDir, 'mib'), undefined)!.table;
    let compared = 0;
    for (let i = 0; i < b.length; i++) {
      if (!b.isPrimary(i)) continue;
      const j = a.findOid(b.oid(i));
      assert.ok(j >= 0, b.oid(i));
      assert.equal(`${a.module(j)}::${a.name(j)}`, `${b.module(i)}::${b.name(i)}`, b.oid(i));
      compared++;
    }
    assert.ok(compared > 10_000, `${compared} OIDs compared`);
    for (const oid of [
      '1.3.6.1.4.1.9.9.13.1.3.1.3',
      '1.3.6.1.4.1.9.9.48.1.1.1.5',
      '1.3.6.1.4.1.9.9.109.1.1.1.1.8',
      '1.3.6.1.2.1.2.2.1.10',
    ]) {
      assert.deepEqual(inc.translate(`${oid}.7`), full.translate(`${oid}.7`), oid);
      assert.deepEqual(inc.lookup(oid), full.lookup(oid), oid);
    }
    assert.equal(
      inc.translate('1.3.6.1.4.1.9.9.13.1.3.1.3.1').full,
      'CISCO-ENVMON-MIB::ciscoEnvMonTemperatureStatusValue.1',
    );
    assert.match(inc.lookup('ciscoMemoryPoolUsed')?.description ?? '', /number of bytes from the memory pool/i);
    assert.ok(
      inc.search('temperature status').some((n) => n.module === 'CISCO-ENVMON-MIB'),
      'new descriptions are searched',
    );
    assert.ok(inc.search('cpmCPUTotal5minRev').length > 0, 'old names still found');
    assert.equal(inc.resolve('CISCO-PROCESS-MIB::cpmCPUTotal5minRev'), '1.3.6.1.4.1.9.9.109.1.1.1.1.8');

    // A changed file is not an addition: everything is compiled again.
    copyFileSync(cisco('CISCO-TC-NO-U32.my'), join(vendor, 'CISCO-TC.my'));
    const third = compileToCache(opts(dataDir)).summary;
    assert.equal(third.incremental, undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
