/**
 * Ed25519 (RFC 8032) in the browser with WebCrypto: the organisation's signing key, loaded from the PKCS#8 PEM file
 * that './covenant console key ORG' writes, is kept only in this page's memory (never stored, never sent), and the
 * checkpoint and event signatures the audit explorer checks.
 */
import { canonicalBytes } from './jcs';
import { fromHex, toHex } from './hex';

export interface LoadedKey {
  readonly privateKey: CryptoKey;
  readonly publicHex: string;
  /** The organisation's X25519 key for opening results sealed to it (HPKE), when the file carries it. */
  readonly decryption?: { readonly privateKey: CryptoKey; readonly publicHex: string };
}

const b64 = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '')), (c) => c.charCodeAt(0));

/** The algorithm OID inside a PKCS#8 key (RFC 8410): 1.3.101.112 is Ed25519, 1.3.101.110 X25519. */
function algorithmOf(der: Uint8Array): 'Ed25519' | 'X25519' | null {
  const oid = der.length > 11 ? der.slice(7, 12) : new Uint8Array(0);
  if (oid[0] !== 0x06 || oid[1] !== 0x03 || oid[2] !== 0x2b || oid[3] !== 0x65) return null;
  return oid[4] === 0x70 ? 'Ed25519' : oid[4] === 0x6e ? 'X25519' : null;
}

export async function loadPrivateKeyPem(pem: string): Promise<LoadedKey> {
  const blocks = [...pem.matchAll(/-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/g)].map((m) => b64(m[1]) as Uint8Array<ArrayBuffer>);
  if (blocks.length === 0) throw new Error("this file is not a PKCS#8 PEM key; write one with './covenant console key ORG --out FILE' and load that file");
  let signing: LoadedKey | null = null;
  let decryption: LoadedKey['decryption'];
  for (const der of blocks) {
    const alg = algorithmOf(der);
    try {
      if (alg === 'Ed25519') {
        const exportable = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
        const jwk = await crypto.subtle.exportKey('jwk', exportable);
        // A non-extractable copy for signing: the page never needs the key's bytes again.
        signing = { privateKey: await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']), publicHex: toHex(b64(jwk.x!)) };
      } else if (alg === 'X25519') {
        const exportable = await crypto.subtle.importKey('pkcs8', der, { name: 'X25519' }, true, ['deriveBits']);
        const jwk = await crypto.subtle.exportKey('jwk', exportable);
        decryption = { privateKey: await crypto.subtle.importKey('pkcs8', der, { name: 'X25519' }, false, ['deriveBits']), publicHex: toHex(b64(jwk.x!)) };
      }
    } catch {
      throw new Error(`this ${alg ?? 'key'} cannot be used by this browser; load the file './covenant console key' wrote`);
    } finally {
      der.fill(0);
    }
  }
  if (!signing) throw new Error("this file holds no Ed25519 signing key; load the file './covenant console key ORG --out FILE' wrote");
  return { ...signing, decryption };
}

/** Signs a statement's canonical JSON (RFC 8785), as Covenant's SignedEvent does; the signature in hex. */
export async function signStatement(key: LoadedKey, statement: unknown): Promise<string> {
  return toHex(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, canonicalBytes(statement)));
}

const verifiers = new Map<string, Promise<CryptoKey>>();

export async function verifyEd25519(publicHex: string, message: Uint8Array<ArrayBuffer>, signatureHex: string): Promise<boolean> {
  let k = verifiers.get(publicHex);
  if (!k) {
    k = crypto.subtle.importKey('raw', fromHex(publicHex), { name: 'Ed25519' }, false, ['verify']);
    verifiers.set(publicHex, k);
  }
  try {
    return await crypto.subtle.verify({ name: 'Ed25519' }, await k, fromHex(signatureHex), message);
  } catch {
    return false;
  }
}
