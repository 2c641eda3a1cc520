// Compares Vigil's MIB compiler with net-snmp's C parser (snmptranslate) on the whole shared MIB corpus,
// and checks the translation of traps the recorded vendors send (Cisco, Juniper, Aruba).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { compileMibs } from '../../src/mib/compile.ts';
import { dictionaryFromCompiled, type MibDictionaryImpl } from '../../src/mib/dictionary.ts';
import { testDataDir } from '../harness/testdata.ts';

const shared = testDataDir();
const corpus = join(shared, 'mibs');
const dirs = existsSync(corpus)
  ? readdirSync(corpus)
      .map((d) => join(corpus, d))
      .filter((d) => statSync(d).isDirectory())
  : [];
const haveTool = spawnSync('snmptranslate', ['-V'], { encoding: 'utf8' }).status === 0;
const skip = !haveTool
  ? 'snmptranslate (Debian package snmp) is not installed'
  : dirs.length === 0
    ? `no MIB corpus at ${corpus}`
    : false;

/** One snmptranslate run over the corpus. `-M` only (no default dirs), `-m ALL`, warnings off. */
function snmptranslate(args: string[]): { out: string; ms: number } {
  const started = performance.now();
  const r = spawnSync('snmptranslate', ['-M', dirs.join(':'), '-m', 'ALL', '-Ln', ...args], {
    encoding: 'latin1',
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`snmptranslate failed: ${r.stderr}`);
  return { out: r.stdout, ms };
}

let dict: MibDictionaryImpl;
let vigilMs = 0;

before(() => {
  if (skip) return;
  const started = performance.now();
  const compiled = compileMibs(dirs);
  vigilMs = performance.now() - started;
  dict = dictionaryFromCompiled(compiled);
});

test('the same OIDs resolve to the same names as net-snmp on the whole corpus (>= 99%)', { skip }, () => {
  // -Tz prints every node as "label" "oid" in one pass: the label and the OID together.
  const { out, ms } = snmptranslate(['-Tz']);
  const labels = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const m = /^"([^"]*)"\s+"([^"]*)"/.exec(line);
    if (!m) continue;
    const list = labels.get(m[2]);
    if (list) list.push(m[1]);
    else labels.set(m[2], [m[1]]);
  }
  let same = 0;
  let missing = 0;
  let different = 0;
  const examples: string[] = [];
  for (const [oid, names] of labels) {
    const node = dict.node(oid);
    // net-snmp invents labels (`x#`, `anonymous#3`) for unnamed nodes; Vigil has no name there: counted as misses.
    if (node && names.includes(node.name)) same++;
    else if (!node) missing++;
    else {
      different++;
      if (examples.length < 10) examples.push(`${oid}: vigil ${node.name}, net-snmp ${names.join('|')}`);
    }
  }
  const pct = (100 * same) / labels.size;
  console.log(
    `net-snmp: ${labels.size} OIDs in ${ms.toFixed(0)} ms (snmptranslate -Tz); Vigil: ${dict.stats().nodes} OIDs, cold compile ${vigilMs.toFixed(0)} ms in-process`,
  );
  console.log(`same name ${same} (${pct.toFixed(2)}%), missing in Vigil ${missing}, different name ${different}`);
  if (examples.length) console.log(examples.join('\n'));
  assert.ok(labels.size > 1000, 'snmptranslate listed the corpus');
  assert.ok(pct >= 99, `only ${pct.toFixed(2)}% of OIDs have the same name`);
});

test('module::name agrees with snmptranslate -OS on a sample of the corpus', { skip }, () => {
  const { out: all } = snmptranslate(['-To']);
  const oids = all.split('\n').filter(Boolean);
  const sample = oids.filter((_, i) => i % 25 === 0);
  const { out } = snmptranslate(['-OS', ...sample]);
  const theirs = out.split('\n').filter(Boolean);
  assert.equal(theirs.length, sample.length);
  let same = 0;
  for (let i = 0; i < sample.length; i++) if (dict.translate(sample[i]).full === theirs[i]) same++;
  const pct = (100 * same) / sample.length;
  console.log(`MODULE::name identical for ${same}/${sample.length} sampled OIDs (${pct.toFixed(2)}%)`);
  assert.ok(pct >= 95, `module agreement ${pct.toFixed(2)}%`);
});

test('traps and varbinds of the recorded vendors translate like net-snmp (Cisco, Juniper, Aruba)', { skip }, () => {
  const names = [
    'CISCO-SYSLOG-MIB::clogMessageGenerated',
    'CISCO-CONFIG-MAN-MIB::ciscoConfigManEvent',
    'CISCO-ENVMON-MIB::ciscoEnvMonTemperatureNotification',
    'JUNIPER-MIB::jnxPowerSupplyFailure',
    'JUNIPER-MIB::jnxFanFailure',
    'WLSX-TRAP-MIB::wlsxNUserAuthenticationFailed',
    'IF-MIB::linkDown',
    'SNMPv2-MIB::coldStart',
  ];
  const numeric = snmptranslate(['-On', ...names])
    .out.split('\n')
    .filter(Boolean)
    .map((o) => o.replace(/^\./, ''));
  assert.equal(numeric.length, names.length);
  for (let i = 0; i < names.length; i++) {
    assert.equal(dict.resolve(names[i]), numeric[i], names[i]);
    assert.equal(dict.translate(numeric[i]).full, names[i]);
  }
  // Varbinds with instances, numeric as they arrive in a trap.
  const varbinds = [
    '1.3.6.1.4.1.9.9.41.1.2.3.1.3.42',
    '1.3.6.1.4.1.9.9.41.1.2.3.1.5.42',
    '1.3.6.1.2.1.2.2.1.1.3',
    '1.3.6.1.4.1.2636.3.1.8.1.5.2.1.0.0',
    '1.3.6.1.6.3.1.1.4.1.0',
    '1.3.6.1.4.1.14823.2.3.1.11.1.1.1.0',
  ];
  const theirs = snmptranslate(['-OS', ...varbinds])
    .out.split('\n')
    .filter(Boolean);
  assert.deepEqual(
    varbinds.map((o) => dict.translate(o).full),
    theirs,
  );
  // Values formatted from the syntax: clogHistSeverity is an enumeration.
  assert.equal(dict.formatValue('1.3.6.1.4.1.9.9.41.1.2.3.1.3.42', 4), 'error(4)');
  const trap = dict.lookup('CISCO-SYSLOG-MIB::clogMessageGenerated');
  assert.equal(trap?.kind, 'notification');
  assert.deepEqual(
    trap?.objects?.map((o) => o.name),
    ['clogHistFacility', 'clogHistSeverity', 'clogHistMsgName', 'clogHistMsgText', 'clogHistTimestamp'],
  );
});
