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
}

export async function loadPrivateKeyPem(pem: string): Promise<LoadedKey> {
  const m = pem.match(/-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/);
  if (!m) throw new Error("this file is not a PKCS#8 PEM key; write one with './covenant console key ORG --out FILE' and load that file");
  const der = Uint8Array.from(atob(m[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
  } catch {
    throw new Error("this key is not an Ed25519 key this browser can use; load the file './covenant console key' wrote");
  }
  const jwk = await crypto.subtle.exportKey('jwk', key);
  const pub = Uint8Array.from(atob(jwk.x!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  // A non-extractable copy for signing: the page never needs the key's bytes again.
  const signing = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  der.fill(0);
  return { privateKey: signing, publicHex: toHex(pub) };
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
