// Grows a test ledger to N entries for the console's benchmark (.ci/console-browser bench): hospital-a's own signed
// CONSENT_RECORDED events for its dataset (harmless digests), appended 16 at a time through POST /api/ledger/events/batch,
// each checked by the server like any other signed event. Usage: node fill-ledger.mjs URL KEY.pem N
import { createPrivateKey, sign, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [url, keyFile, target] = process.argv.slice(2);
const key = createPrivateKey(readFileSync(keyFile, 'utf8'));

// RFC 8785 canonical JSON for the plain objects built here (strings and integers), as src/jcs.ts writes it.
const canonical = (v) => v === null || typeof v !== 'object' ? JSON.stringify(v)
  : Array.isArray(v) ? '[' + v.map(canonical).join(',') + ']'
  : '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';

// Java's Instant.toString leaves out a zero fraction (…:05Z, not …:05.000Z); the server re-encodes the time that way before
// checking the signature, so sign the same text.
const javaInstant = (d) => d.toISOString().replace('.000Z', 'Z');

let size = (await (await fetch(`${url}/api/health`)).json()).ledgerSize;
const want = Number(target);
const t0 = Date.now();
while (size < want) {
  const events = [];
  for (let i = 0; i < Math.min(16, want - size); i++) {
    const statement = { type: 'CONSENT_RECORDED', v: 1, actor: 'hospital-a', at: javaInstant(new Date()),
      body: { dataset: 'hospital-a/claims', consent: createHash('sha256').update(`bench-${size}-${i}`).digest('hex') } };
    events.push({ statement, sig: sign(null, Buffer.from(canonical(statement)), key).toString('hex') });
  }
  const r = await fetch(`${url}/api/ledger/events/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ events }) });
  if (r.status !== 201) throw new Error(`the ledger refused a batch: ${r.status} ${await r.text()}`);
  size += events.length;
}
console.log(`ledger at ${size} entries (${((Date.now() - t0) / 1000).toFixed(0)} s to fill)`);
