// The RMON parsers over every recording in devices/ and devices-large/ that has RMON rows (1.3.6.1.2.1.16): every
// etherStats, history control, history sample, alarm, event and log row in the file is parsed — as many rows as the
// file has distinct instances per table — and a few columns equal the file's values. No per-file constants: the
// expectations come from each recording itself. Each file is read once, kept to the RMON subtree (plus sysUpTime and
// ifSpeed, for the wall times and utilisation), so the 39 MB controller recording costs about a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { testDataPath } from '../harness/testdata.ts';
import { recordingVarBinds } from '../topology/rec-varbinds.ts';
import type { VarBind } from '../../src/model/records.ts';
import {
  etherStatsRates,
  historySamplesAfter,
  lastSampleIndexes,
  parseAlarms,
  parseEtherHistory,
  parseEtherStats,
  parseEvents,
  parseHistoryControl,
  parseLog,
} from '../../src/collectors/snmp/profiles/rmon.ts';

const RMON = '1.3.6.1.2.1.16.';
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const IF_SPEED = '1.3.6.1.2.1.2.2.1.5.';
const ENTRY = {
  etherStats: '1.3.6.1.2.1.16.1.1.1',
  etherStatsHC: '1.3.6.1.2.1.16.1.7.1',
  historyControl: '1.3.6.1.2.1.16.2.1.1',
  etherHistory: '1.3.6.1.2.1.16.2.2.1',
  alarm: '1.3.6.1.2.1.16.3.1.1',
  event: '1.3.6.1.2.1.16.9.1.1',
  log: '1.3.6.1.2.1.16.9.2.1',
};
const STATUS: Record<string, number> = { valid: 1, createRequest: 2, underCreation: 3, invalid: 4 };
const EVENT_TYPE: Record<string, number> = { none: 1, log: 2, snmptrap: 3, logandtrap: 4 };
const SAMPLE_TYPE: Record<string, number> = { absolute: 1, delta: 2 };

interface Recording {
  name: string;
  rmon: VarBind[];
  byOid: Map<string, VarBind>;
}

function load(): Recording[] {
  const out: Recording[] = [];
  for (const dir of ['devices', 'devices-large']) {
    const path = testDataPath(dir);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path)
      .filter((f) => f.endsWith('.snmprec'))
      .sort()) {
      const kept = recordingVarBinds(join(path, file)).filter(
        (v) => v.oid.startsWith(RMON) || v.oid === SYS_UPTIME || v.oid.startsWith(IF_SPEED),
      );
      const rmon = kept.filter((v) => v.oid.startsWith(RMON));
      if (rmon.length) out.push({ name: `${dir}/${file}`, rmon, byOid: new Map(kept.map((v) => [v.oid, v])) });
    }
  }
  return out;
}
const recordings = load();

/** The distinct instances (index parts) of a table's entry in the recording, as the test reads them. */
function instances(rec: Recording, entry: string, indexLength: number): string[] {
  const out = new Set<string>();
  for (const v of rec.rmon) {
    if (!v.oid.startsWith(entry + '.')) continue;
    const parts = v.oid.slice(entry.length + 1).split('.');
    if (parts.length === indexLength + 1) out.add(parts.slice(1).join('.'));
  }
  return [...out].sort();
}
const value = (rec: Recording, entry: string, column: number, instance: string | number) =>
  rec.byOid.get(`${entry}.${column}.${instance}`)?.value;
/** A counter from the file as the parser keeps it: a number while exact, else the decimal string. */
const counter = (v: VarBind['value'] | undefined) =>
  v === undefined || v === null ? undefined : Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
const sortedKeys = (keys: (string | number)[]) => keys.map(String).sort();

test('the recordings include RMON rows to check', () => {
  assert.ok(recordings.length > 0, 'no recording has RMON (1.3.6.1.2.1.16) varbinds');
});

for (const rec of recordings) {
  test(`${rec.name}: every RMON row is parsed, with the file's values`, (t) => {
    const stats = parseEtherStats(rec.rmon);
    const controls = parseHistoryControl(rec.rmon);
    const samples = parseEtherHistory(rec.rmon);
    const alarms = parseAlarms(rec.rmon);
    const events = parseEvents(rec.rmon);
    const log = parseLog(rec.rmon);
    t.diagnostic(
      `etherStats ${stats.length} (HC ${stats.filter((r) => r.hc).length}), historyControl ${controls.length}, ` +
        `etherHistory ${samples.length}, alarms ${alarms.length}, events ${events.length}, log ${log.length}`,
    );

    // etherStats: one row per instance; HC-RMON's Counter64 replaces octets and pkts where the file has it.
    assert.deepEqual(sortedKeys(stats.map((r) => r.index)), instances(rec, ENTRY.etherStats, 1));
    for (const r of stats) {
      const at = `etherStats.${r.index}`;
      assert.equal(r.dataSource, value(rec, ENTRY.etherStats, 2, r.index), `${at} dataSource`);
      const ds = r.dataSource?.match(/^1\.3\.6\.1\.2\.1\.2\.2\.1\.1\.(\d+)$/);
      assert.equal(r.ifIndex, ds ? Number(ds[1]) : undefined, `${at} ifIndex`);
      const hcOctets = value(rec, ENTRY.etherStatsHC, 4, r.index);
      const hcPkts = value(rec, ENTRY.etherStatsHC, 2, r.index);
      const hcColumns = [2, 4, 6, 8, 10, 12, 14, 16].filter(
        (c) => value(rec, ENTRY.etherStatsHC, c, r.index) !== undefined,
      );
      assert.equal(r.hc, hcColumns.length > 0, `${at} hc`);
      assert.equal(r.octets, counter(hcOctets ?? value(rec, ENTRY.etherStats, 4, r.index)), `${at} octets`);
      assert.equal(r.pkts, counter(hcPkts ?? value(rec, ENTRY.etherStats, 5, r.index)), `${at} pkts`);
      assert.equal(r.crcAlignErrors, counter(value(rec, ENTRY.etherStats, 8, r.index)), `${at} crcAlignErrors`);
      assert.equal(r.owner, value(rec, ENTRY.etherStats, 20, r.index), `${at} owner`);
      assert.equal(r.status && STATUS[r.status], value(rec, ENTRY.etherStats, 21, r.index), `${at} status`);
      // A row compared with itself a minute later, unchanged: every known counter rate is 0, nothing is a gap.
      const rates = etherStatsRates(r, r, 60);
      if (r.octets !== undefined && (r.status === undefined || r.status === 'valid')) assert.equal(rates.bps, 0, at);
    }

    // History control.
    assert.deepEqual(sortedKeys(controls.map((r) => r.index)), instances(rec, ENTRY.historyControl, 1));
    for (const r of controls) {
      const at = `historyControl.${r.index}`;
      assert.equal(r.dataSource, value(rec, ENTRY.historyControl, 2, r.index), `${at} dataSource`);
      assert.equal(r.bucketsGranted, value(rec, ENTRY.historyControl, 4, r.index), `${at} bucketsGranted`);
      assert.equal(r.intervalS, value(rec, ENTRY.historyControl, 5, r.index), `${at} intervalS`);
    }

    // History samples: every one, then all of them again as "new" in sampling order, and none twice.
    assert.deepEqual(
      sortedKeys(samples.map((r) => `${r.index}.${r.sampleIndex}`)),
      instances(rec, ENTRY.etherHistory, 2),
    );
    for (const r of samples) {
      const i = `${r.index}.${r.sampleIndex}`;
      assert.equal(r.intervalStartCs, value(rec, ENTRY.etherHistory, 3, i), `etherHistory.${i} intervalStart`);
      assert.equal(r.octets, value(rec, ENTRY.etherHistory, 5, i), `etherHistory.${i} octets`);
      assert.equal(r.utilizationHundredthsPct, value(rec, ENTRY.etherHistory, 15, i), `etherHistory.${i} util`);
    }
    const upCs = rec.byOid.get(SYS_UPTIME)?.value;
    const wallMs = Date.UTC(2024, 0, 1);
    const clock = typeof upCs === 'number' ? { sysUpTimeCs: upCs, wallMs } : undefined;
    const fresh = historySamplesAfter(samples, new Map(), clock);
    assert.equal(fresh.length, samples.length);
    const last = lastSampleIndexes(fresh);
    assert.deepEqual(historySamplesAfter(samples, last), [], 'nothing new after importing everything');
    for (const [index, newest] of last) {
      const mine = fresh.filter((s) => s.index === index);
      assert.equal(mine.at(-1)?.sampleIndex, newest);
      for (let k = 1; k < mine.length; k++) {
        const [a, b] = [mine[k - 1], mine[k]];
        if (a.intervalStartCs !== undefined && b.intervalStartCs !== undefined)
          assert.ok(a.intervalStartCs < b.intervalStartCs, `history ${index}: sample ${b.sampleIndex} starts later`);
        if (a.intervalStartTs !== undefined && b.intervalStartTs !== undefined)
          assert.ok(a.intervalStartTs < b.intervalStartTs && b.intervalStartTs <= wallMs);
      }
      // Importing from the middle returns exactly the second half.
      const half = mine[Math.floor(mine.length / 2)];
      assert.deepEqual(
        historySamplesAfter(
          samples.filter((s) => s.index === index),
          new Map([[index, half.sampleIndex]]),
        ).map((s) => s.sampleIndex),
        mine.slice(Math.floor(mine.length / 2) + 1).map((s) => s.sampleIndex),
      );
    }
    // RFC 2819's utilisation from a sample's octets and packets agrees with the agent's own (± 0.01 %, its rounding).
    const controlOf = new Map(controls.map((c) => [c.index, c]));
    for (const s of samples) {
      const c = controlOf.get(s.index);
      const speed = c?.ifIndex === undefined ? undefined : rec.byOid.get(`${IF_SPEED}${c.ifIndex}`)?.value;
      if (typeof speed !== 'number' || !c?.intervalS || s.utilizationHundredthsPct === undefined) continue;
      const zero = { index: s.index, hc: false, octets: 0, pkts: 0 };
      const util = etherStatsRates(zero, { ...zero, octets: s.octets, pkts: s.pkts }, c.intervalS, speed).utilPct;
      if (util === undefined) continue;
      assert.ok(
        Math.abs(util * 100 - s.utilizationHundredthsPct) <= 1,
        `etherHistory.${s.index}.${s.sampleIndex}: ${util * 100} vs ${s.utilizationHundredthsPct}`,
      );
    }

    // Alarms.
    assert.deepEqual(sortedKeys(alarms.map((r) => r.index)), instances(rec, ENTRY.alarm, 1));
    for (const r of alarms) {
      assert.equal(r.variable, value(rec, ENTRY.alarm, 3, r.index));
      assert.equal(r.sampleType && SAMPLE_TYPE[r.sampleType], value(rec, ENTRY.alarm, 4, r.index));
      assert.equal(r.risingThreshold, value(rec, ENTRY.alarm, 7, r.index));
      assert.equal(r.status && STATUS[r.status], value(rec, ENTRY.alarm, 12, r.index));
    }

    // Events and the log.
    assert.deepEqual(sortedKeys(events.map((r) => r.index)), instances(rec, ENTRY.event, 1));
    for (const r of events) {
      assert.equal(r.description, value(rec, ENTRY.event, 2, r.index), `event.${r.index} description`);
      assert.equal(r.type && EVENT_TYPE[r.type], value(rec, ENTRY.event, 3, r.index), `event.${r.index} type`);
      assert.equal(r.lastTimeSentCs, value(rec, ENTRY.event, 5, r.index), `event.${r.index} lastTimeSent`);
    }
    assert.deepEqual(sortedKeys(log.map((r) => `${r.eventIndex}.${r.logIndex}`)), instances(rec, ENTRY.log, 2));
    for (const r of log) {
      const i = `${r.eventIndex}.${r.logIndex}`;
      assert.equal(r.timeCs, value(rec, ENTRY.log, 3, i), `log.${i} time`);
      assert.equal(r.description, value(rec, ENTRY.log, 4, i), `log.${i} description`);
    }
  });
}
