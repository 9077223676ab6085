/**
 * Opening a sealed result in the browser: HPKE (RFC 9180) base mode, single shot, with the suite Covenant seals results
 * in (core's HpkeKeyPair): DHKEM(X25519, HKDF-SHA256) (KEM 0x0020), HKDF-SHA256 (KDF 0x0001), AES-256-GCM (AEAD 0x0002).
 * X25519, HMAC-SHA256 and AES-GCM are WebCrypto's; HKDF's Extract and Expand (RFC 5869) are written out with HMAC
 * because HPKE labels each step (RFC 9180 section 4, LabeledExtract and LabeledExpand).
 */
type Bytes = Uint8Array<ArrayBuffer>;
const utf8 = (s: string): Bytes => new TextEncoder().encode(s) as Bytes;

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const i2osp2 = (n: number) => new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
const KEM_SUITE = concat(utf8('KEM'), i2osp2(0x0020));
const HPKE_SUITE = concat(utf8('HPKE'), i2osp2(0x0020), i2osp2(0x0001), i2osp2(0x0002));

async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  // An empty HMAC key equals 32 zero bytes (HMAC pads keys with zeros); WebCrypto refuses a zero-length key.
  const k = await crypto.subtle.importKey('raw', key.length ? key : new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}

const labeledExtract = (suite: Bytes, salt: Bytes, label: string, ikm: Bytes) => hmac(salt, concat(utf8('HPKE-v1'), suite, utf8(label), ikm));

async function labeledExpand(suite: Bytes, prk: Bytes, label: string, info: Bytes, length: number): Promise<Bytes> {
  // RFC 5869 HKDF-Expand for L <= 32: T(1) = HMAC(PRK, info || 0x01), cut to L.
  const labeled = concat(i2osp2(length), utf8('HPKE-v1'), suite, utf8(label), info);
  return (await hmac(prk, concat(labeled, new Uint8Array([1])))).slice(0, length);
}

/** Opens `enc length (2 bytes) || enc || ciphertext` (core's SealedMessage) with the recipient's X25519 key pair. */
export async function hpkeOpen(sealed: Bytes, recipient: CryptoKey, recipientPublic: Bytes, info: string, aad: Bytes): Promise<Bytes> {
  if (sealed.length < 2) throw new Error('the sealed result is empty');
  const n = (sealed[0] << 8) | sealed[1];
  if (n !== 32 || sealed.length < 2 + n + 16) throw new Error('this is not a sealed result (its encapsulated key is not an X25519 key)');
  const enc = sealed.slice(2, 2 + n);
  const ct = sealed.slice(2 + n);
  const pkE = await crypto.subtle.importKey('raw', enc, { name: 'X25519' }, false, []);
  const dh = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: pkE }, recipient, 256));
  // DHKEM Decap (RFC 9180 section 4.1): ExtractAndExpand(dh, enc || pkR).
  const eaePrk = await labeledExtract(KEM_SUITE, new Uint8Array(0), 'eae_prk', dh);
  const shared = await labeledExpand(KEM_SUITE, eaePrk, 'shared_secret', concat(enc, recipientPublic), 32);
  // KeySchedule, mode_base (section 5.1): no PSK.
  const pskIdHash = await labeledExtract(HPKE_SUITE, new Uint8Array(0), 'psk_id_hash', new Uint8Array(0));
  const infoHash = await labeledExtract(HPKE_SUITE, new Uint8Array(0), 'info_hash', utf8(info));
  const context = concat(new Uint8Array([0]), pskIdHash, infoHash);
  const secret = await labeledExtract(HPKE_SUITE, shared, 'secret', new Uint8Array(0));
  const key = await labeledExpand(HPKE_SUITE, secret, 'key', context, 32);
  const nonce = await labeledExpand(HPKE_SUITE, secret, 'base_nonce', context, 12);
  const aes = await crypto.subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['decrypt']);
  try {
    // Sequence number 0: the nonce is base_nonce itself (section 5.2).
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad }, aes, ct));
  } catch {
    throw new Error('the result cannot be opened with this key: it was sealed to another consumer or for another job, or altered');
  }
}
