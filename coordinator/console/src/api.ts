/** The coordinator's API (docs/api.md), same origin: over mutual TLS the browser's client certificate is the caller. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let r: Response;
  try {
    r = await fetch('/api' + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'the coordinator did not answer; check that ./covenant serve is still running, then try again');
  }
  const text = await r.text();
  if (!r.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error ?? text;
    } catch {
      /* not JSON: keep the text */
    }
    if (r.status === 401) message += ' (sign in with your organisation\'s certificate)';
    throw new ApiError(r.status, message);
  }
  return (text ? JSON.parse(text) : null) as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown) => call<T>('POST', path, body);

export async function getBytes(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const r = await fetch('/api' + path, { credentials: 'same-origin' });
  if (!r.ok) {
    const t = await r.text();
    let m = t;
    try {
      m = JSON.parse(t).error;
    } catch {
      /* keep */
    }
    throw new ApiError(r.status, m);
  }
  return new Uint8Array(await r.arrayBuffer());
}

/** Every item of a paged list (?limit=&after=). */
export async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  do {
    const page: { items: T[]; next: string | null } = await get(path + '?limit=500' + (after ? '&after=' + encodeURIComponent(after) : ''));
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

export interface Statement { type: string; v: number; actor: string; at: string; body: Record<string, unknown> }
export interface SignedEvent { statement: Statement; sig: string }
export interface LedgerEntry { index: number; event: SignedEvent; previous: string }
export interface Checkpoint { treeSize: number; rootHash: string; at: string; logKey: string; sig: string }
export interface Dataset { dataset: string; manifest: string; rows: number; shards: number; schema: { name: string; type: string; sensitivity: string }[]; publishedAt: string }
export interface PolicyItem { policy: string; dataset: string; hash: string; status: string; publishedAt: string; document: Record<string, unknown> }
export interface Job { job: string; consumer: string; state: string; reasons: string[]; datasets: string[]; engine: string; purpose: string; computationHash: string; resultHash: string | null; submittedAt: string; updatedAt: string }
export interface Session { tls: boolean; org: string | null; roles: string[]; operator: boolean; logKey: string }
export interface Organisation { org: string; name: string; role: string; signingKey: string; encryptionKey: string }
