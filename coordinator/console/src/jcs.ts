/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme): object members sorted by their names' UTF-16 code units,
 * no insignificant whitespace, strings and numbers as ECMAScript's JSON.stringify writes them (RFC 8785 section 3.2.2
 * defines its serialisation by ECMAScript's). These are the bytes Covenant signs and hashes (core's Json.canonicalBytes).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no ' + value);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const o = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, as RFC 8785 section 3.2.3 asks.
  const names = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return '{' + names.map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalJson(value)) as Uint8Array<ArrayBuffer>;
}
