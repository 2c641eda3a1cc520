#!/usr/bin/env node
// Builds the copy of IANA's Private Enterprise Numbers registry that Vigil ships (src/mib/data/enterprises.txt.gz):
// one `number<TAB>organization` line per assigned number, sorted by number, gzipped; the number is left out (the line
// starts with the tab) when it is the previous line's plus one: 0.6 MB for 62,000 organizations. The source is the
// registry as Debian's libwireshark-data ships it (`<number><spaces or tabs><organization>[<TAB># formerly '…'>]`);
// the "formerly" notes and the numbers IANA lists as Reserved or ---none--- are left out. Run it again when the
// registry is updated (apt-get install libwireshark-data, or pass a file of the same format).
// Usage: node scripts/build-enterprises.mjs [registry.tsv] [out.txt.gz]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const source = process.argv[2] ?? '/usr/share/wireshark/enterprises.tsv';
const out = process.argv[3] ?? fileURLToPath(new URL('../src/mib/data/enterprises.txt.gz', import.meta.url));

const text = readFileSync(source, 'utf8');
const updated = /last updated (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
const entries = new Map();
let skipped = 0;
for (const raw of text.split('\n')) {
  if (raw.startsWith('#')) continue;
  const m = /^(\d+)[ \t]+([^\t]*)/.exec(raw);
  if (!m) continue;
  const number = Number(m[1]);
  const organization = m[2].replace(/\s+/g, ' ').trim();
  if (!organization || /^(reserved|---none---|unassigned)$/i.test(organization)) {
    skipped++;
    continue;
  }
  if (entries.has(number)) throw new Error(`${source}: number ${number} twice`);
  entries.set(number, organization);
}
if (entries.size < 50_000) throw new Error(`${source}: only ${entries.size} entries, not the whole registry`);

let previous = -1;
const lines = [...entries]
  .sort((a, b) => a[0] - b[0])
  .map(([n, o]) => {
    const line = `${n === previous + 1 ? '' : n}\t${o}\n`;
    previous = n;
    return line;
  });
const plain = Buffer.from(lines.join(''), 'utf8');
const gz = gzipSync(plain, { level: 9 });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, gz);
console.log(
  `${out}: ${entries.size} organizations (${skipped} reserved or unassigned left out)` +
    `${updated ? `, registry of ${updated}` : ''}; ${plain.length} bytes, ${gz.length} gzipped`,
);
