import './style.css';
import { ApiError, all, get, getBytes, post } from './api';
import type { Checkpoint, Dataset, Job, LedgerEntry, Organisation, PolicyItem, Session, SignedEvent, Statement } from './api';
import { field, h, short, table } from './dom';
import type { Child } from './dom';
import { canonicalBytes } from './jcs';
import { fromHex, toHex } from './hex';
import { loadPrivateKeyPem, signStatement, verifyEd25519 } from './keys';
import type { LoadedKey } from './keys';
import { hpkeOpen } from './hpke';
import { entryLeafHash, rootOf, verifyConsistency, verifyInclusion } from './merkle';

// ---- state of this page (the key lives here only, in memory, for as long as the tab is open) ----
let session: Session = { tls: false, org: null, roles: [], operator: false, logKey: '' };
let organisations: Organisation[] = [];
let me: { org: string; role: string; key: LoadedKey } | null = null;
/** A message that outlives the next page change (a submitted job's outcome, shown on the job's page). */
let flash: { text: string; kind: 'ok' | 'error' | 'info' } | null = null;

const main = () => document.getElementById('main')!;
const status = (text: string, kind: 'ok' | 'error' | 'info' = 'info') => {
  const s = document.getElementById('status')!;
  s.textContent = text;
  s.className = 'status ' + kind;
};

function fail(e: unknown): void {
  status(e instanceof Error ? e.message : String(e), 'error');
}

function needKey(): { org: string; role: string; key: LoadedKey } {
  if (!me) throw new Error('sign in first: load your organisation\'s key on the sign-in page');
  return me;
}

async function signAndWrap(statement: Statement): Promise<SignedEvent> {
  const who = needKey();
  if (statement.actor !== who.org) throw new Error(`this act must be signed by ${statement.actor}, and you are signed in as ${who.org}; sign in as ${statement.actor}`);
  return { statement, sig: await signStatement(who.key, statement) };
}

// ---- routing: #/page[/arg] ----
const pages: Record<string, { title: string; render: (arg: string) => Promise<void> }> = {
  signin: { title: 'Sign in', render: signIn },
  catalogue: { title: 'Catalogue', render: catalogue },
  policies: { title: 'Policies', render: policies },
  compose: { title: 'New job', render: compose },
  jobs: { title: 'Jobs', render: jobs },
  usage: { title: 'Usage', render: usage },
  audit: { title: 'Audit', render: audit },
};

/** Counts page changes, so that a page still loading when the user moved on does not write into the next one. */
let renders = 0;

async function route(): Promise<void> {
  renders++;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name] ?? pages[me ? 'catalogue' : 'signin'];
  document.querySelectorAll('nav a').forEach((a) => a.removeAttribute('aria-current'));
  document.querySelector(`nav a[href="#/${name || (me ? 'catalogue' : 'signin')}"]`)?.setAttribute('aria-current', 'page');
  document.title = `${page.title} — Covenant console`;
  main().replaceChildren(h('h1', { tabindex: -1 }, page.title));
  status(flash?.text ?? '', flash?.kind ?? 'info');
  flash = null;
  try {
    await page.render(decodeURIComponent(rest.join('/')));
  } catch (e) {
    fail(e);
  }
  (main().querySelector('h1') as HTMLElement).focus();
  document.body.dataset.ready = name || 'home';
}

function whoami(): void {
  const el = document.getElementById('whoami')!;
  const tls = session.tls ? `certificate: ${session.org} (${session.roles.join(', ') || 'no role'})` : 'no TLS: acts are signed in the browser';
  el.textContent = me ? `Signed in as ${me.org} (${me.role}) · ${tls}` : `Not signed in · ${tls}`;
}

// ---- sign-in ----
async function signIn(): Promise<void> {
  const select = h('select', { name: 'org' }, organisations.filter((o) => o.role !== 'operator').map((o) =>
    h('option', { value: o.org, selected: o.org === (me?.org ?? session.org) }, `${o.org} — ${o.name} (${o.role})`)));
  const file = h('input', { type: 'file', name: 'key', accept: '.pem,.key,text/plain' });
  const form = h('form', { className: 'card', 'aria-labelledby': 'signin-h' },
    h('h2', { id: 'signin-h' }, 'Your organisation'),
    session.tls ? h('p', {}, `Your browser presented ${session.org}'s consortium certificate; the server gives you ${session.org}'s roles.`)
      : h('p', {}, 'This server runs without TLS: anyone here may read the catalogue and the ledger; every act must be signed with the organisation\'s key.'),
    field('Organisation', select),
    field('Signing key (PKCS#8 PEM)', file, "Write it with './covenant console key ORG --out FILE'. It stays in this page's memory; it is never uploaded."),
    h('button', { type: 'submit' }, 'Sign in'),
    h('p', {}, 'To only read (auditors): ', h('a', { href: '#/audit' }, 'open the audit explorer'), ' without a key.'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const org = organisations.find((o) => o.org === select.value);
      if (!org) throw new Error('choose your organisation');
      if (session.tls && session.org !== org.org) throw new Error(`your certificate is ${session.org}'s; sign in as ${session.org}, or open the console with ${org.org}'s certificate`);
      const f = file.files?.[0];
      if (!f) throw new Error('choose your key file');
      const key = await loadPrivateKeyPem(await f.text());
      if (key.publicHex !== org.signingKey) {
        throw new Error(`this key is not ${org.org}'s registered signing key (the ledger has ${short(org.signingKey)}, the file ${short(key.publicHex)}); load ${org.org}'s key file`);
      }
      if (key.decryption && key.decryption.publicHex !== org.encryptionKey) {
        throw new Error(`this file's result key is not ${org.org}'s registered encryption key; load the file './covenant console key ${org.org}' wrote`);
      }
      me = { org: org.org, role: org.role, key };
      whoami();
      status(`signed in as ${org.org}; its key matches ORG_REGISTERED on the ledger`, 'ok');
      // Registered roles read "data-owner", "data-consumer", "auditor".
      location.hash = org.role.includes('owner') ? '#/policies' : org.role.includes('consumer') ? '#/compose' : '#/audit';
    } catch (e) {
      fail(e);
    }
  });
  main().append(form);
}

// ---- catalogue ----
/** Values that look like a column's type and tag but are made up here, from the schema alone: never real data. */
function syntheticValue(type: string, sensitivity: string, row: number, col: number): string {
  const seed = (row * 7919 + col * 104729) % 997;
  if (sensitivity === 'identifier' || sensitivity === 'direct-identifier') return `SYNTH-${(seed * 31 + row).toString(16).padStart(5, '0')}`;
  if (/int/.test(type)) return String(seed % 90);
  if (/float|double|decimal/.test(type)) return (seed / 7).toFixed(2);
  if (/date|time/.test(type)) return `2020-${String(1 + (seed % 12)).padStart(2, '0')}-${String(1 + (seed % 28)).padStart(2, '0')}`;
  if (/bool/.test(type)) return seed % 2 ? 'true' : 'false';
  return `synthetic-${String.fromCharCode(65 + (seed % 26))}${seed % 10}`;
}

async function catalogue(arg: string): Promise<void> {
  const datasets = await all<Dataset>('/datasets');
  if (datasets.length === 0) {
    main().append(h('p', {}, "No dataset is published yet. An owner publishes one with './covenant dataset publish FILE --owner ORG' (docs/tutorial.md)."));
    return;
  }
  main().append(table(['dataset', 'rows', 'shards', 'columns', 'published', ''], datasets.map((d) => [
    d.dataset, d.rows.toLocaleString('en'), d.shards, d.schema.length, d.publishedAt,
    h('a', { href: `#/catalogue/${encodeURIComponent(d.dataset)}` }, 'schema and preview'),
  ]), 'Published dataset versions (schemas and addresses only: the coordinator never holds values)'));
  const d = datasets.find((x) => x.dataset === arg);
  if (!d) return;
  main().append(h('section', { 'aria-labelledby': 'ds-h', className: 'card' },
    h('h2', { id: 'ds-h' }, d.dataset),
    h('p', {}, `${d.rows.toLocaleString('en')} rows in ${d.shards} sealed shards; manifest ${d.manifest}`),
    table(['column', 'type', 'sensitivity'], d.schema.map((c) => [c.name, c.type, h('span', { className: 'tag ' + c.sensitivity }, c.sensitivity)]), 'Schema'),
    h('h3', {}, 'Synthetic preview'),
    h('p', { className: 'warning' }, 'SYNTHETIC: made up in this browser from the schema alone. No value below comes from the dataset.'),
    table(d.schema.map((c) => c.name), [0, 1, 2, 3, 4].map((r) => d.schema.map((c, i) => syntheticValue(c.type, c.sensitivity, r, i))), 'Synthetic rows')));
}

// ---- policies ----
interface PolicyDraft { policy: string; dataset: string; owner: string; hash: string; warnings: string[]; odrl: unknown; statement: Statement }

async function policies(arg: string): Promise<void> {
  const list = await all<PolicyItem>('/policies');
  const mine = (p: PolicyItem) => me && p.dataset.split('/')[0] === me.org;
  main().append(table(['policy', 'dataset', 'status', 'published', 'hash', ''], list.map((p) => [
    p.policy, p.dataset, h('span', { className: 'state ' + p.status }, p.status), p.publishedAt, short(p.hash),
    h('span', {}, h('a', { href: `#/policies/${encodeURIComponent(p.hash)}` }, 'view'),
      mine(p) && p.status === 'in-force' ? h('button', { type: 'button', className: 'small', onclick: () => revoke(p) }, 'Revoke') : null),
  ]), 'Published policies'));

  const editor = h('textarea', { rows: 18, spellcheck: false, name: 'policy' });
  const errors = h('div', { id: 'policy-errors', role: 'alert', className: 'inline-errors' });
  const result = h('div', { id: 'policy-result' });
  const chosen = list.find((p) => p.hash === arg);
  editor.value = JSON.stringify(chosen?.document ?? list.find(mine)?.document ?? {}, null, 2);
  const validate = async (): Promise<PolicyDraft | null> => {
    errors.textContent = '';
    editor.removeAttribute('aria-invalid');
    try {
      JSON.parse(editor.value);
    } catch (e) {
      errors.textContent = `not JSON: ${(e as Error).message}; fix the text and validate again`;
      editor.setAttribute('aria-invalid', 'true');
      return null;
    }
    try {
      const d = await post<PolicyDraft>('/console/drafts/policy', editor.value);
      result.replaceChildren(
        h('p', { className: 'ok' }, `valid: ${d.policy} for ${d.dataset}, hash ${short(d.hash, 16)}`),
        d.warnings.length ? h('ul', { className: 'warnings' }, d.warnings.map((w) => h('li', {}, 'warning: ' + w))) : '',
        h('details', {}, h('summary', {}, 'ODRL 2.2 form'), h('pre', { className: 'odrl' }, JSON.stringify(d.odrl, null, 2))));
      return d;
    } catch (e) {
      errors.textContent = e instanceof Error ? e.message : String(e);
      editor.setAttribute('aria-invalid', 'true');
      result.replaceChildren();
      return null;
    }
  };
  const publish = async () => {
    try {
      const d = await validate();
      if (!d) return;
      const signed = await signAndWrap(d.statement);
      await post('/ledger/events', signed);
      await post('/policies', editor.value);
      await route();
      status(`published ${d.policy} for ${d.dataset}: POLICY_PUBLISHED is on the ledger, signed by ${d.owner} in this browser`, 'ok');
    } catch (e) {
      fail(e);
    }
  };
  main().append(h('section', { className: 'card', 'aria-labelledby': 'pe-h' },
    h('h2', { id: 'pe-h' }, chosen ? `Policy ${chosen.policy} (${chosen.status})` : 'Write or change a policy'),
    field('Policy (JSON, docs/policy-language.md)', editor, 'Validate shows errors here, naming the field; publishing signs POLICY_PUBLISHED with your key.'),
    errors,
    h('div', { className: 'buttons' },
      h('button', { type: 'button', onclick: () => void validate() }, 'Validate'),
      h('button', { type: 'button', onclick: () => void publish() }, 'Sign and publish')),
    result));
  if (chosen) await validate();
}

async function revoke(p: PolicyItem): Promise<void> {
  const reason = prompt(`Why is ${p.policy} revoked? (recorded on the ledger)`);
  if (!reason) return;
  try {
    const d = await post<{ statement: Statement }>('/console/drafts/revocation', { dataset: p.dataset, reason });
    await post('/ledger/events', await signAndWrap(d.statement));
    await post('/policies/revocations', { dataset: p.dataset });
    await route();
    status(`revoked ${p.policy}; nothing may be computed on ${p.dataset} until a new policy is published`, 'ok');
  } catch (e) {
    fail(e);
  }
}

// ---- job composer with live explain ----
interface Explanation { permitted: boolean; decisions: { dataset: string; outcome: string; summary: string; findings: { rule: string; passed: boolean; explanation: string }[] }[]; missing: string[] }

async function compose(): Promise<void> {
  const datasets = await all<Dataset>('/datasets');
  const latest = [...new Set(datasets.map((d) => d.dataset.split('@')[0]))];
  const purpose = h('input', { name: 'purpose', value: 'risk-model', autocomplete: 'off' });
  const engine = h('select', { name: 'engine' }, ['tee', 'mpc'].map((e) => h('option', { value: e }, e)));
  const sql = h('textarea', { name: 'sql', rows: 4, spellcheck: false },
    'SELECT icd10_chapter(diagnosis) AS chapter, COUNT(*) AS claims FROM claims GROUP BY chapter');
  const boxes = latest.map((d) => h('input', { type: 'checkbox', name: 'dataset', value: d, id: 'ds-' + d.replace(/\W/g, '-') }));
  const explained = h('div', { id: 'explain', 'aria-live': 'polite' });
  const draft = () => ({
    consumer: me?.org ?? '', purpose: purpose.value, engine: engine.value, sql: sql.value,
    datasets: boxes.filter((b) => b.checked).map((b) => b.value),
  });
  let timer = 0;
  let seq = 0;
  const explain = () => {
    clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const mySeq = ++seq;
      const d = draft();
      if (!d.consumer) { explained.replaceChildren(h('p', {}, 'Sign in as a consumer to see what the policies would decide.')); return; }
      if (d.datasets.length === 0) { explained.replaceChildren(h('p', {}, 'Choose at least one dataset.')); return; }
      try {
        const x = await post<Explanation>('/console/explain', d);
        if (mySeq !== seq) return;
        explained.replaceChildren(
          h('p', { className: x.permitted ? 'ok' : 'error', 'data-outcome': x.permitted ? 'permit' : 'deny' },
            x.permitted ? 'Every policy would allow this job (some may hold it for approval).' : 'This job would be denied; the failing rules say why.'),
          ...x.missing.map((m) => h('p', { className: 'error' }, m)),
          ...x.decisions.map((dec) => h('div', { className: 'decision' },
            h('h3', {}, `${dec.dataset}: ${dec.outcome}`), h('p', {}, dec.summary),
            table(['rule', '', 'why'], dec.findings.map((f) => [f.rule, f.passed ? 'ok' : 'FAIL', f.explanation])))));
      } catch (e) {
        if (mySeq === seq) explained.replaceChildren(h('p', { className: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
      }
    }, 250);
  };
  const submit = async () => {
    try {
      const who = needKey();
      const d = await post<{ request: unknown; statement: Statement }>('/console/drafts/job', draft());
      const out = await post<{ job: string; state: string; reasons: string[] }>('/jobs', { request: d.request, submission: await signAndWrap(d.statement) });
      flash = { text: `job ${out.job} submitted as ${who.org}: ${out.state}${out.reasons.length ? ' — ' + out.reasons.join('; ') : ''}`,
        kind: out.state === 'DENIED' || out.state === 'FAILED' ? 'error' : 'ok' };
      location.hash = `#/jobs/${out.job}`;
    } catch (e) {
      fail(e);
    }
  };
  const form = h('form', { className: 'card' },
    h('fieldset', {}, h('legend', {}, 'Datasets'), boxes.map((b) => h('div', { className: 'check' }, b, h('label', { for: b.id }, b.value)))),
    field('Purpose', purpose), field('Engine', engine), field('SQL', sql, 'The policies are asked as you type.'),
    h('button', { type: 'submit' }, 'Sign and submit'));
  form.addEventListener('input', explain);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); void submit(); });
  main().append(form, h('section', { className: 'card', 'aria-labelledby': 'ex-h' }, h('h2', { id: 'ex-h' }, 'What the policies would decide'), explained));
  explain();
}

// ---- jobs, approvals, results ----
async function jobs(arg: string): Promise<void> {
  const list = await all<Job>('/jobs');
  const waiting = me ? list.filter((j) => j.state === 'AWAITING_APPROVAL' && j.datasets.some((d) => d.startsWith(me!.org + '/'))) : [];
  if (waiting.length) {
    main().append(h('section', { className: 'card', 'aria-labelledby': 'ap-h' }, h('h2', { id: 'ap-h' }, `Waiting for ${me!.org}'s approval`),
      ...waiting.map((j) => approvalForm(j))));
  }
  main().append(table(['job', 'consumer', 'state', 'datasets', 'submitted'], list.slice().reverse().map((j) => [
    h('a', { href: `#/jobs/${j.job}` }, j.job), j.consumer, h('span', { className: 'state ' + j.state }, j.state), j.datasets.join(', '), j.submittedAt,
  ]), 'Jobs you may see'));
  const j = list.find((x) => x.job === arg);
  if (j) await jobDetail(j);
}

function approvalForm(j: Job): HTMLElement {
  const note = h('textarea', { rows: 2, name: 'note' });
  const datasets = j.datasets.filter((d) => d.startsWith(me!.org + '/'));
  const decide = async (approve: boolean) => {
    try {
      if (!approve && !note.value.trim()) throw new Error('say why you reject the job in the note; it is recorded on the ledger');
      let state = '';
      for (const d of datasets) {
        const draft = await post<{ statement: Statement }>('/console/drafts/approval', { job: j.job, dataset: d.split('@')[0], approve, note: note.value });
        state = (await post<{ state: string }>(`/jobs/${j.job}/approvals`, await signAndWrap(draft.statement))).state;
      }
      await route();
      status(`${approve ? 'approved' : 'rejected'} ${j.job}; it is now ${state}`, 'ok');
    } catch (e) {
      fail(e);
    }
  };
  return h('div', { className: 'approval', 'data-job': j.job },
    h('p', {}, `${j.job}: ${j.consumer} asks for ${j.purpose} on ${j.engine} over ${j.datasets.join(', ')}`),
    field(`Note for ${j.job}`, note, 'Recorded on the ledger with your decision; required to reject.'),
    h('div', { className: 'buttons' },
      h('button', { type: 'button', onclick: () => void decide(true) }, 'Approve'),
      h('button', { type: 'button', className: 'danger', onclick: () => void decide(false) }, 'Reject')));
}

async function jobDetail(j: Job): Promise<void> {
  const trail = await get<LedgerEntry[]>(`/jobs/${j.job}/trail`);
  const section = h('section', { className: 'card', 'aria-labelledby': 'jd-h' }, h('h2', { id: 'jd-h' }, `${j.job}: ${j.state}`),
    j.reasons.length ? h('ul', {}, j.reasons.map((r) => h('li', {}, r))) : null,
    h('h3', {}, 'Lifecycle on the ledger'),
    h('ol', { className: 'timeline' }, trail.map((e) => h('li', {}, h('strong', {}, e.event.statement.type), ` #${e.index} by ${e.event.statement.actor} at ${e.event.statement.at}`))));
  if (j.resultHash) {
    const out = h('div', { id: 'result-check', 'aria-live': 'polite' });
    section.append(h('h3', {}, 'Result'),
      h('p', {}, `Sealed to ${j.consumer} (HPKE, RFC 9180). The browser checks the sealed bytes' SHA-256 against RESULT_COMMITTED on the ledger before saving them; ${j.consumer} then opens them here with its own key, or with './covenant job result ${j.job} --as ${j.consumer}'.`),
      h('button', { type: 'button', onclick: () => void fetchResult(j, trail, out) }, 'Download sealed result'), out);
  }
  main().append(section);
}

async function fetchResult(j: Job, trail: LedgerEntry[], out: HTMLElement): Promise<void> {
  try {
    const sealed = await getBytes(`/jobs/${j.job}/result`);
    const digest = toHex(await crypto.subtle.digest('SHA-256', sealed));
    const committed = trail.find((e) => e.event.statement.type === 'RESULT_COMMITTED');
    const onLedger = committed ? String(committed.event.statement.body.resultHash ?? '') : '';
    if (!onLedger.endsWith(digest) && onLedger !== digest) {
      out.replaceChildren(h('p', { className: 'error', 'data-verdict': 'bad' }, `the sealed result's SHA-256 ${short(digest, 16)} is not the one RESULT_COMMITTED records (${short(onLedger, 16)}): do not use it; report it to the operator`));
      return;
    }
    const a = h('a', { href: URL.createObjectURL(new Blob([sealed])), download: `${j.job}.sealed` }, `${j.job}.sealed`);
    const table = h('div', { id: 'result-table' });
    const canOpen = me?.org === j.consumer && me.key.decryption;
    out.replaceChildren(h('p', { className: 'ok', 'data-verdict': 'good' }, `${sealed.length} sealed bytes, SHA-256 ${short(digest, 16)} matches RESULT_COMMITTED #${committed!.index}. Save `, a),
      canOpen ? h('button', { type: 'button', onclick: () => void openResult(j, sealed, table) }, 'Open in this browser') : '', table);
    a.click();
  } catch (e) {
    out.replaceChildren(h('p', { className: 'error', role: 'alert' }, e instanceof ApiError && e.status === 403 ? e.message + '; only the consumer, auditors and the operator fetch results' : String((e as Error).message)));
  }
}

/** Opens a sealed result table with the consumer's X25519 key, in this page (HPKE, RFC 9180; info and AAD as ResultTable seals). */
async function openResult(j: Job, sealed: Uint8Array<ArrayBuffer>, out: HTMLElement): Promise<void> {
  try {
    const d = needKey().key.decryption!;
    const plain = await hpkeOpen(sealed, d.privateKey, fromHex(d.publicHex), 'covenant/result/v1', new TextEncoder().encode(j.job) as Uint8Array<ArrayBuffer>);
    const t = JSON.parse(new TextDecoder().decode(plain)) as { v: number; job: string; columns: { name: string; type: string }[]; rows: unknown[][] };
    if (t.job !== j.job) throw new Error(`the sealed result names ${t.job}, not ${j.job}: do not use it`);
    out.replaceChildren(h('p', { className: 'ok' }, `opened in this browser with ${j.consumer}'s key: ${t.rows.length} rows`),
      table(t.columns.map((c) => c.name), t.rows.map((r) => r.map((v) => (v === null ? '—' : String(v)))), `Result of ${j.job}`));
  } catch (e) {
    out.replaceChildren(h('p', { className: 'error', role: 'alert' }, (e as Error).message
      + (e instanceof SyntaxError ? ': this result is not a table (a trained model); open it with ./covenant job result' : '')));
  }
}

// ---- usage and privacy budget ----
async function usage(): Promise<void> {
  const rows = (await get<{ items: { policy: string; dataset: string; consumer: string; uses: number; maxUses: number | null; epsilonSpent: string; epsilonTotal: string | null }[] }>('/console/usage')).items;
  if (rows.length === 0) { main().append(h('p', {}, 'No policy is in force.')); return; }
  const bar = (value: number, max: number | null, label: string) => {
    const pct = max ? Math.min(100, (100 * value) / max) : 0;
    return h('div', { className: 'bar', role: 'meter', 'aria-valuenow': value, 'aria-valuemin': 0, 'aria-valuemax': max ?? value, 'aria-label': label },
      h('div', { className: 'fill' + (pct >= 90 ? ' high' : ''), style: `width:${pct}%` }), h('span', {}, max ? `${value} of ${max}` : `${value} (no limit)`));
  };
  main().append(table(['policy', 'dataset', 'consumer', 'uses', 'privacy budget (epsilon)'], rows.map((r) => [
    r.policy, r.dataset, r.consumer,
    bar(r.uses, r.maxUses, `uses of ${r.policy} by ${r.consumer}`),
    bar(Number(r.epsilonSpent), r.epsilonTotal ? Number(r.epsilonTotal) : null, `epsilon spent of ${r.policy} by ${r.consumer}`),
  ]), 'Uses and privacy budget spent, per policy in force and consumer'));
}

// ---- audit explorer ----
const PIN = 'covenant.console.pinned-checkpoint';
interface LoadedLedger { entries: LedgerEntry[]; search: string[]; checkpoint: Checkpoint; complete: boolean }
let ledger: LoadedLedger | null = null;
const SERVER_LEDGER = "this server's ledger";
const PAGE = 10_000; // the most GET /api/ledger/entries answers at once

function checkpointStatement(c: Checkpoint) {
  return { kind: 'covenant-ledger-checkpoint/v1', treeSize: c.treeSize, rootHash: c.rootHash, at: c.at, logKey: c.logKey };
}

function keep(l: LoadedLedger, page: LedgerEntry[]): void {
  for (const e of page) {
    l.entries[e.index] = e;
    l.search[e.index] = `${e.index} ${e.event.statement.type} ${e.event.statement.actor} ${e.event.statement.at} ${JSON.stringify(e.event.statement.body)}`.toLowerCase();
  }
}

/** The newest page of the ledger (up to the current checkpoint), so the timeline can be shown before the rest arrives. */
async function loadNewest(): Promise<LoadedLedger> {
  const checkpoint = (await get<{ checkpoint: Checkpoint }>('/ledger/checkpoint')).checkpoint;
  const size = checkpoint.treeSize;
  const l: LoadedLedger = { entries: new Array(size), search: new Array(size), checkpoint, complete: size <= PAGE };
  if (size > 0) keep(l, await get<LedgerEntry[]>(`/ledger/entries?from=${Math.max(0, size - PAGE)}&to=${size}`));
  return l;
}

/** The older pages, two requests in flight (one arrives while the previous is indexed). */
async function loadOlder(l: LoadedLedger): Promise<void> {
  const ranges: [number, number][] = [];
  for (let from = 0; from < l.checkpoint.treeSize - PAGE; from += PAGE) ranges.push([from, Math.min(l.checkpoint.treeSize - PAGE, from + PAGE)]);
  let next = ranges.length - 1; // newest first: a search finds recent entries soonest
  await Promise.all([0, 1].map(async () => {
    while (next >= 0) {
      const [from, to] = ranges[next--];
      keep(l, await get<LedgerEntry[]>(`/ledger/entries?from=${from}&to=${to}`));
    }
  }));
  l.complete = true;
}

function pinned(): Checkpoint | null {
  const t = localStorage.getItem(PIN);
  return t ? (JSON.parse(t) as Checkpoint) : null;
}

type Check = { ok: boolean; what: string };

/** Every entry: its leaf hash, the hash link to the one before, its actor's signature, and the Merkle root at the checkpoint. */
async function auditEntries(entries: LedgerEntry[], anchor: Checkpoint, progress: (t: string) => void): Promise<Check[]> {
  const out: Check[] = [];
  const keys = new Map<string, string>();
  const leaves: Uint8Array<ArrayBuffer>[] = [];
  let previous = '0'.repeat(64);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.index !== i) return [...out, { ok: false, what: `entry ${i}: holds index ${e.index}; an entry was removed or reordered` }];
    if (e.previous !== previous) return [...out, { ok: false, what: `entry ${i}: its link to entry ${i - 1} is broken (previous ${short(e.previous)}, but entry ${i - 1} hashes to ${short(previous)}): the ledger was changed at or before entry ${i}` }];
    const st = e.event.statement;
    if (st.type === 'ORG_REGISTERED' && !keys.has(String(st.body.org))) keys.set(String(st.body.org), String(st.body.signingKey));
    const key = keys.get(st.actor);
    if (!key || !(await verifyEd25519(key, canonicalBytes(st), e.event.sig))) {
      return [...out, { ok: false, what: `entry ${i} (${st.type} by ${st.actor}): the signature is not ${st.actor}'s registered key's: the entry was changed after it was signed` }];
    }
    const leaf = await entryLeafHash(e);
    leaves.push(leaf);
    previous = toHex(leaf);
    if (i % 5000 === 0) progress(`checked ${i.toLocaleString('en')} of ${entries.length.toLocaleString('en')} entries…`);
  }
  out.push({ ok: true, what: `${entries.length.toLocaleString('en')} entries: every signature and hash link holds` });
  if (entries.length < anchor.treeSize) return [...out, { ok: false, what: `only ${entries.length} entries, but the checkpoint covers ${anchor.treeSize}: entries are missing` }];
  const root = toHex(await rootOf(leaves.slice(0, anchor.treeSize)));
  out.push(root === anchor.rootHash
    ? { ok: true, what: `the Merkle root of the first ${anchor.treeSize} entries is the checkpoint's (${short(root, 16)})` }
    : { ok: false, what: `the Merkle root of the first ${anchor.treeSize} entries is ${short(root, 16)}, not the checkpoint's ${short(anchor.rootHash, 16)}: these entries are not the ones the log signed` });
  return out;
}

async function audit(): Promise<void> {
  const t0 = performance.now();
  const render0 = renders;
  status('loading the ledger…');
  const current = (ledger = await loadNewest());
  if (render0 !== renders) return; // the user moved on while it loaded
  const firstPage = performance.now() - t0;
  const query = h('input', { type: 'search', name: 'q', placeholder: 'job id, type, organisation…', autocomplete: 'off' });
  const results = h('div', { id: 'timeline' });
  const checks = h('ul', { id: 'checks', className: 'checks', 'aria-live': 'polite' });
  const pin = pinned();
  const describePin = (c: Checkpoint | null) => c ? `Pinned: tree size ${c.treeSize}, root ${short(c.rootHash, 16)}, signed at ${c.at} by log key ${short(c.logKey, 16)}.`
    : 'No checkpoint pinned yet: pin the one you trust (compare its root with one you got elsewhere, e.g. from ./covenant ledger checkpoint).';
  const pinInfo = h('p', { id: 'pin-info' }, describePin(pin));
  const pinText = h('textarea', { rows: 3, name: 'pin', spellcheck: false });
  const exportFile = h('input', { type: 'file', name: 'export', accept: '.jsonl,.json,text/plain' });
  const render = () => {
    const q = query.value.trim().toLowerCase();
    const matches: number[] = [];
    for (let i = current.entries.length - 1; i >= 0 && matches.length < 200; i--) {
      const text = current.search[i];
      if (text !== undefined && (!q || text.includes(q))) matches.push(i);
    }
    const more = current.complete ? '' : ' (older entries are still loading)';
    results.replaceChildren(h('p', {}, (q ? `latest ${matches.length} matching entries` : `latest ${matches.length} of ${current.entries.length.toLocaleString('en')} entries`) + more),
      table(['#', 'type', 'actor', 'at', 'job', ''], matches.map((i) => {
        const e = current.entries[i];
        const job = e.event.statement.body.job as string | undefined;
        return [i, e.event.statement.type, e.event.statement.actor, e.event.statement.at,
          job ? h('a', { href: `#/jobs/${job}` }, job) : '',
          h('button', { type: 'button', className: 'small', 'aria-label': `verify entry ${i}`, onclick: () => void verify(i) }, 'verify')];
      })));
  };
  const report = (list: Check[]) => {
    checks.replaceChildren(...list.map((c) => h('li', { className: c.ok ? 'ok' : 'error', 'data-ok': String(c.ok) }, (c.ok ? '✔ ' : '✘ ') + c.what)));
    const bad = list.some((c) => !c.ok);
    status(bad ? 'verification FAILED: see the first ✘ below' : 'verified in this browser', bad ? 'error' : 'ok');
    document.body.dataset.verdict = bad ? 'tampered' : 'verified';
  };
  /** Checkpoint signatures, consistency from the pinned checkpoint to now, and one entry's inclusion, all checked here. */
  const verify = async (index: number) => {
    try {
      const anchor = pinned();
      if (!anchor) throw new Error('pin a checkpoint first: "Pin the current checkpoint", or paste one you trust');
      const now = (await get<{ checkpoint: Checkpoint }>('/ledger/checkpoint')).checkpoint;
      const list: Check[] = [];
      const sigOk = async (c: Checkpoint) => verifyEd25519(c.logKey, canonicalBytes(checkpointStatement(c)), c.sig);
      list.push({ ok: await sigOk(anchor), what: `pinned checkpoint (size ${anchor.treeSize}): Ed25519 signature by log key ${short(anchor.logKey, 16)}` });
      list.push({ ok: now.logKey === anchor.logKey && (await sigOk(now)), what: `current checkpoint (size ${now.treeSize}): signed by the same log key as the pinned one` });
      const cons = await get<{ path: string[] }>(`/ledger/proof/consistency?from=${anchor.treeSize}&to=${now.treeSize}`);
      list.push({ ok: await verifyConsistency(anchor.treeSize, now.treeSize, fromHex(anchor.rootHash), fromHex(now.rootHash), cons.path),
        what: `consistency proof ${anchor.treeSize} → ${now.treeSize} (RFC 9162 §2.1.4.2): the log only grew since the pinned checkpoint` });
      const e = current.entries[index];
      const incl = await get<{ path: string[] }>(`/ledger/proof/inclusion?index=${index}&size=${now.treeSize}`);
      list.push({ ok: await verifyInclusion(index, now.treeSize, await entryLeafHash(e), incl.path, fromHex(now.rootHash)),
        what: `inclusion proof of entry ${index} (${e.event.statement.type}) in tree ${now.treeSize} (RFC 9162 §2.1.3.2), from the entry as shown here` });
      report(list);
    } catch (err) {
      fail(err);
    }
  };
  const pinCurrent = () => {
    localStorage.setItem(PIN, JSON.stringify(current.checkpoint));
    pinInfo.textContent = describePin(current.checkpoint);
    status(`pinned the checkpoint at size ${current.checkpoint.treeSize}`, 'ok');
  };
  const pinPasted = async () => {
    try {
      let c = JSON.parse(pinText.value);
      c = c.checkpoint ?? c;
      if (typeof c.treeSize !== 'number' || !c.rootHash || !c.sig || !c.logKey || !c.at) throw new Error('a checkpoint is {"treeSize","rootHash","at","logKey","sig"}; paste one as GET /api/ledger/checkpoint or ./covenant ledger checkpoint gives it');
      if (!(await verifyEd25519(c.logKey, canonicalBytes(checkpointStatement(c)), c.sig))) throw new Error('the pasted checkpoint\'s signature does not verify under its log key; it was changed, or it is not a checkpoint');
      localStorage.setItem(PIN, JSON.stringify(c));
      pinInfo.textContent = describePin(c);
      status(`pinned the pasted checkpoint at size ${c.treeSize}`, 'ok');
    } catch (e) {
      fail(e instanceof SyntaxError ? new Error('the pasted text is not JSON; paste the checkpoint as it was saved') : e);
    }
  };
  const auditAll = async (entries: LedgerEntry[], source: string) => {
    try {
      if (source === SERVER_LEDGER && !current.complete) throw new Error('the older entries are still loading; audit every entry once the status says they are all loaded');
      const anchor = pinned();
      if (!anchor) throw new Error('pin a checkpoint first');
      const t = performance.now();
      const list = await auditEntries(entries, anchor, (p) => status(p));
      list.unshift({ ok: await verifyEd25519(anchor.logKey, canonicalBytes(checkpointStatement(anchor)), anchor.sig), what: `pinned checkpoint's signature (size ${anchor.treeSize})` });
      report(list);
      checks.append(h('li', {}, `${source}: ${entries.length.toLocaleString('en')} entries audited in ${((performance.now() - t) / 1000).toFixed(1)} s`));
    } catch (e) {
      fail(e);
    }
  };
  const auditFile = async () => {
    const f = exportFile.files?.[0];
    if (!f) { fail(new Error('choose a ledger export (./covenant ledger export --out FILE)')); return; }
    const entries: LedgerEntry[] = [];
    const lines = (await f.text()).split('\n');
    for (let n = 0; n < lines.length; n++) {
      if (!lines[n].trim()) continue;
      try {
        const o = JSON.parse(lines[n]);
        if ('index' in o && 'event' in o) entries.push(o);
      } catch {
        fail(new Error(`line ${n + 1} of ${f.name} is not JSON: the export was damaged or edited by hand`));
        document.body.dataset.verdict = 'tampered';
        return;
      }
    }
    await auditAll(entries, f.name);
  };
  query.addEventListener('input', render);
  main().append(
    h('section', { className: 'card', 'aria-labelledby': 'pin-h' }, h('h2', { id: 'pin-h' }, 'Trust anchor'), pinInfo,
      h('div', { className: 'buttons' },
        h('button', { type: 'button', onclick: pinCurrent }, 'Pin the current checkpoint'),
        h('button', { type: 'button', onclick: () => void verify(current.entries.length - 1) }, 'Verify the latest entry'),
        h('button', { type: 'button', onclick: () => void auditAll(current.entries, SERVER_LEDGER) }, 'Audit every entry')),
      field('Or paste a checkpoint you trust', pinText), h('button', { type: 'button', onclick: () => void pinPasted() }, 'Pin the pasted checkpoint'),
      field('Audit a ledger export against the pinned checkpoint', exportFile, "A file from './covenant ledger export --out FILE'."),
      h('button', { type: 'button', onclick: () => void auditFile() }, 'Audit the file'),
      checks),
    h('section', { className: 'card', 'aria-labelledby': 'tl-h' }, h('h2', { id: 'tl-h' }, 'Timeline'), field('Search the ledger', query), results));
  render();
  document.body.dataset.firstPageMs = String(Math.round(firstPage));
  const whenComplete = () => {
    const all = performance.now() - t0;
    status(`${current.entries.length.toLocaleString('en')} entries loaded in ${(all / 1000).toFixed(2)} s`, 'ok');
    document.body.dataset.ledgerLoadMs = String(Math.round(all));
  };
  if (current.complete) {
    whenComplete();
  } else {
    status(`the newest ${PAGE.toLocaleString('en')} of ${current.entries.length.toLocaleString('en')} entries are shown; loading the rest…`);
    loadOlder(current).then(() => {
      if (ledger !== current || render0 !== renders) return;
      whenComplete();
      render();
    }, fail);
  }
}

// ---- start ----
async function start(): Promise<void> {
  const nav = document.querySelector('nav ul')!;
  nav.replaceChildren(...Object.entries(pages).map(([k, p]) => h('li', {}, h('a', { href: `#/${k}` }, p.title))));
  try {
    [session, organisations] = await Promise.all([get<Session>('/console/session'), get<{ items: Organisation[] }>('/console/organisations').then((o) => o.items)]);
  } catch (e) {
    fail(e);
  }
  whoami();
  window.addEventListener('hashchange', () => void route());
  await route();
}

void start();
export type { Child };
