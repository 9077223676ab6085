// The web console's flows in a real browser: Debian's Chromium driven by playwright-core (no downloaded browser).
// Run by .ci/console-browser, which builds a demo data directory, starts './covenant serve' on it and writes the
// organisations' keys with './covenant console key'. Environment:
//   COVENANT_URL     the server, e.g. http://127.0.0.1:8480
//   COVENANT_KEYS    a folder with hospital-a.pem and insurer-x.pem
//   CHROMIUM         the browser (default /usr/bin/chromium)
//   SCREENSHOTS      where each page's screenshot goes (default: none)
//   ONLY             'flows' (default) or 'bench' (first load and the audit explorer on the ledger as it is)
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const url = process.env.COVENANT_URL ?? 'http://127.0.0.1:8480';
const keys = process.env.COVENANT_KEYS;
const shots = process.env.SCREENSHOTS;
const only = process.env.ONLY ?? 'flows';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  // As root Chromium needs --no-sandbox; the rest keeps it off the network it would otherwise call at start.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
let failures = 0;
const results = [];

async function flow(name, body) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`  page error in ${name}: ${e.message}`));
  const t = Date.now();
  try {
    await body(page);
    results.push(`ok   ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failures++;
    results.push(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    const status = await page.locator('#status').textContent().catch(() => '');
    console.error(`FAIL ${name}: ${e.message}\n  console status: ${status}`);
  } finally {
    await page.close();
  }
}

async function open(page, hash) {
  await page.goto(`${url}/console/${hash}`);
  await page.waitForSelector(`body[data-ready]`);
}

async function go(page, hash) {
  await page.evaluate((h) => {
    delete document.body.dataset.ready;
    // Setting the hash it already has fires no hashchange: ask the page to render it again instead.
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = h;
  }, hash);
  await page.waitForSelector('body[data-ready]');
}

async function signIn(page, org) {
  await open(page, '#/signin');
  await page.getByLabel('Organisation', { exact: true }).selectOption(org);
  await page.getByLabel('Signing key (PKCS#8 PEM)').setInputFiles(join(keys, `${org}.pem`));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction((o) => document.getElementById('whoami').textContent.includes(`Signed in as ${o}`), org);
  // Signing in moves to the role's first page; let it settle before the flow navigates on.
  await page.waitForFunction(() => !location.hash.startsWith('#/signin') && document.body.dataset.ready !== 'signin');
}

async function shot(page, name, fullPage = false) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

const statusText = (page) => page.locator('#status').textContent();

if (only === 'bench') {
  // Each measured twice: the first run meets a cold server (JIT) and an empty browser cache, the second a warm one.
  const runs = [];
  for (let run = 1; run <= 2; run++) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    // First page load: navigation until the catalogue is rendered and the page answers input (body[data-ready]).
    const t0 = Date.now();
    await page.goto(`${url}/console/#/catalogue`);
    await page.waitForSelector('body[data-ready] table');
    const first = Date.now() - t0;
    // The audit explorer: every entry fetched and indexed, the timeline rendered, then a search answered.
    const t1 = Date.now();
    await go(page, '#/audit');
    await page.waitForSelector('#timeline table');
    await page.getByLabel('Search the ledger').fill('POLICY_PUBLISHED');
    await page.waitForFunction(() => document.querySelector('#timeline p')?.textContent.includes('matching'));
    const audit = Date.now() - t1;
    // Then every older entry fetched and indexed in the background (the explorer stays usable meanwhile).
    await page.waitForSelector('body[data-ledger-load-ms]', { timeout: 300_000 });
    const allLoaded = Number(await page.evaluate(() => document.body.dataset.ledgerLoadMs));
    const entries = await page.evaluate(() => document.getElementById('status').textContent);
    let full = null;
    if (run === 2) {
      // Every entry's signature, hash link and leaf, and the Merkle root, checked in the browser.
      await page.getByRole('button', { name: 'Pin the current checkpoint' }).click();
      await page.waitForFunction(() => document.getElementById('pin-info')?.textContent.startsWith('Pinned'));
      await page.waitForSelector('#timeline table');
      const t2 = Date.now();
      await page.getByRole('button', { name: 'Audit every entry' }).click();
      await page.waitForSelector('body[data-verdict]', { timeout: 600_000 });
      full = Date.now() - t2;
      const verdict = await page.evaluate(() => document.body.dataset.verdict);
      if (verdict !== 'verified') throw new Error('the full audit did not verify: ' + await page.locator('#checks').textContent());
    }
    runs.push({ run, firstPageInteractiveMs: first, auditInteractiveMs: audit, allEntriesLoadedMs: allLoaded, auditLoadStatus: entries, fullAuditMs: full });
    await ctx.close();
  }
  console.log(JSON.stringify(runs, null, 1));
  await browser.close();
  process.exit(0);
}

let pinnedSize = 0;
let jobId = '';

await flow('pin a checkpoint before anything changes (audit explorer)', async (page) => {
  await open(page, '#/audit');
  await page.waitForSelector('#timeline table');
  await page.getByRole('button', { name: 'Pin the current checkpoint' }).click();
  await page.waitForFunction(() => document.getElementById('pin-info')?.textContent.startsWith('Pinned'));
  pinnedSize = await page.evaluate(() => JSON.parse(localStorage.getItem('covenant.console.pinned-checkpoint')).treeSize);
});

await flow('sign-in refuses a key that is not the organisation\'s', async (page) => {
  await open(page, '#/signin');
  await shot(page, 'sign-in');
  await page.getByLabel('Organisation', { exact: true }).selectOption('hospital-a');
  await page.getByLabel('Signing key (PKCS#8 PEM)').setInputFiles(join(keys, 'insurer-x.pem'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent.includes("is not hospital-a's registered signing key"));
});

await flow('publish a policy (hospital-a): inline error, then valid, signed in the browser', async (page) => {
  await signIn(page, 'hospital-a');
  await go(page, '#/catalogue/hospital-a%2Fclaims%401');
  await page.waitForSelector('.warning');
  await shot(page, 'catalogue');
  await go(page, '#/policies');
  const editor = page.getByLabel('Policy (JSON, docs/policy-language.md)');
  const doc = JSON.parse(await editor.inputValue());
  doc.minCohort = 0;
  await editor.fill(JSON.stringify(doc, null, 2));
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.waitForFunction(() => document.getElementById('policy-errors').textContent.includes('minCohort'));
  if ((await editor.getAttribute('aria-invalid')) !== 'true') throw new Error('the editor is not marked invalid');
  doc.minCohort = 10;
  doc.id = 'hospital-a-claims-console';
  doc.approval = { required: true };
  await editor.fill(JSON.stringify(doc, null, 2));
  await page.getByRole('button', { name: 'Validate' }).click();
  await page.waitForSelector('#policy-result .ok');
  await page.locator('#policy-result summary').click();
  await shot(page, 'policies');
  await page.getByRole('button', { name: 'Sign and publish' }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('published hospital-a-claims-console'));
  await page.waitForSelector('text=hospital-a-claims-console');
});

await flow('submit a job (insurer-x) with live explain', async (page) => {
  await signIn(page, 'insurer-x');
  await go(page, '#/compose');
  await page.getByLabel('hospital-a/claims').check();
  await page.getByLabel('SQL').fill('SELECT patient_id, COUNT(*) AS n FROM claims GROUP BY patient_id');
  await page.waitForSelector('#explain [data-outcome="deny"]');
  await page.waitForSelector('#explain >> text=patient_id');
  await page.getByLabel('SQL').fill('SELECT icd10_chapter(diagnosis) AS chapter, COUNT(*) AS claims FROM claims GROUP BY chapter');
  await page.waitForSelector('#explain [data-outcome="permit"]');
  await page.waitForSelector('#explain >> text=NEEDS_APPROVAL');
  await shot(page, 'compose');
  await page.getByRole('button', { name: 'Sign and submit' }).click();
  await page.waitForFunction(() => /job job-[0-9a-f]{16} submitted as insurer-x: AWAITING_APPROVAL/.test(document.getElementById('status').textContent));
  jobId = (await statusText(page)).match(/job-[0-9a-f]{16}/)[0];
});

await flow('approve it as the owner (hospital-a), with a note', async (page) => {
  if (!jobId) throw new Error('no job was submitted');
  await signIn(page, 'hospital-a');
  await go(page, '#/jobs');
  const form = page.locator(`.approval[data-job="${jobId}"]`);
  await form.getByLabel(`Note for ${jobId}`).fill('approved from the console test');
  await shot(page, 'jobs-approval');
  await form.getByRole('button', { name: 'Approve' }).click();
  await page.waitForFunction((j) => document.getElementById('status').textContent.startsWith(`approved ${j}; it is now COMMITTED`), jobId, { timeout: 120_000 });
});

await flow('open the result as the consumer (insurer-x): hash checked against the ledger, decrypted in the browser', async (page) => {
  await signIn(page, 'insurer-x');
  await go(page, `#/jobs/${jobId}`);
  await page.waitForSelector('text=RESULT_COMMITTED');
  const download = page.waitForEvent('download', { timeout: 60_000 });
  download.catch(() => {});
  await page.getByRole('button', { name: 'Download sealed result' }).click();
  await page.waitForSelector('#result-check [data-verdict="good"]');
  const file = await (await download).path();
  if (readFileSync(file).length === 0) throw new Error('the sealed result is empty');
  await page.getByRole('button', { name: 'Open in this browser' }).click();
  await page.waitForSelector('#result-table table tbody tr');
  const opened = await page.locator('#result-table p').textContent();
  if (!/opened in this browser with insurer-x's key: [1-9]\d* rows/.test(opened)) throw new Error('the result did not open: ' + opened);
  await shot(page, 'job-result', true);
  await go(page, '#/usage');
  await page.waitForSelector('[role="meter"]');
  await shot(page, 'usage');
});

await flow('verify a proof against the pinned checkpoint (audit explorer)', async (page) => {
  await open(page, '#/audit');
  await page.waitForSelector('#timeline table');
  await page.getByLabel('Search the ledger').fill(jobId);
  await page.waitForFunction(() => document.querySelector('#timeline p')?.textContent.includes('matching'));
  await page.getByRole('button', { name: 'Verify the latest entry' }).click();
  await page.waitForSelector('body[data-verdict]');
  const bad = await page.locator('#checks li[data-ok="false"]').allTextContents();
  if (bad.length) throw new Error('verification failed: ' + bad.join(' | '));
  const text = (await page.locator('#checks').textContent());
  if (!text.includes(`consistency proof ${pinnedSize} →`)) throw new Error('no consistency proof from the pinned size: ' + text);
  await page.evaluate(() => delete document.body.dataset.verdict);
  await page.getByRole('button', { name: 'Audit every entry' }).click();
  await page.waitForSelector('body[data-verdict]', { timeout: 120_000 });
  const bad2 = await page.locator('#checks li[data-ok="false"]').allTextContents();
  if (bad2.length) throw new Error('full audit failed: ' + bad2.join(' | '));
  await shot(page, 'audit');
});

await flow('see a tampered ledger flagged (an export with one entry changed)', async (page) => {
  const cp = await (await fetch(`${url}/api/ledger/checkpoint`)).json();
  const entries = await (await fetch(`${url}/api/ledger/entries?from=0&to=${cp.checkpoint.treeSize}`)).json();
  const victim = entries.findIndex((e) => e.event.statement.type === 'JOB_SUBMITTED');
  entries[victim].event.statement.body.purpose = 'marketing';
  const dir = mkdtempSync(join(tmpdir(), 'covenant-console-'));
  const file = join(dir, 'tampered.jsonl');
  writeFileSync(file, [JSON.stringify(cp.checkpoint), ...entries.map((e) => JSON.stringify(e))].join('\n') + '\n');
  await open(page, '#/audit');
  await page.waitForSelector('#timeline table');
  await page.getByLabel('Audit a ledger export against the pinned checkpoint').setInputFiles(file);
  await page.getByRole('button', { name: 'Audit the file' }).click();
  await page.waitForSelector('body[data-verdict="tampered"]');
  const flagged = await page.locator('#checks li[data-ok="false"]').first().textContent();
  if (!flagged.includes(`entry ${victim}`)) throw new Error(`the flag does not name entry ${victim}: ${flagged}`);
  await shot(page, 'audit-tampered');
});

await flow('see a pinned checkpoint that was altered flagged (its signature and the consistency proof fail)', async (page) => {
  await open(page, '#/audit');
  await page.waitForSelector('#timeline table');
  await page.evaluate(() => {
    const c = JSON.parse(localStorage.getItem('covenant.console.pinned-checkpoint'));
    c.rootHash = c.rootHash.replace(/^./, (x) => (x === '0' ? '1' : '0'));
    localStorage.setItem('covenant.console.pinned-checkpoint', JSON.stringify(c));
  });
  await page.getByRole('button', { name: 'Verify the latest entry' }).click();
  await page.waitForSelector('body[data-verdict="tampered"]');
  const flagged = await page.locator('#checks li[data-ok="false"]').allTextContents();
  if (!flagged.some((t) => t.includes('pinned checkpoint')) || !flagged.some((t) => t.includes('consistency proof'))) {
    throw new Error('the altered pin was not flagged by both checks: ' + flagged.join(' | '));
  }
});

await browser.close();
console.log(results.join('\n'));
if (failures) {
  console.error(`${failures} console flow(s) failed`);
  process.exit(1);
}
console.log('every console flow passed');
