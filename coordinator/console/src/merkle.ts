/**
 * Merkle tree proofs of RFC 9162 (Certificate Transparency version 2.0), section 2.1, the tree Covenant's ledger
 * builds (ledger-bridge's MerkleTree): a leaf hash is SHA-256(0x00 || leaf), an interior node SHA-256(0x01 || left ||
 * right). Hashing is WebCrypto's SubtleCrypto SHA-256; nothing here trusts the server that sent the proof.
 */
import { canonicalBytes } from './jcs';
import { equalBytes, fromHex } from './hex';

type Bytes = Uint8Array<ArrayBuffer>;

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/** RFC 9162 section 2.1.1: the hash of a leaf. */
export async function leafHash(leaf: Bytes): Promise<Bytes> {
  const b = new Uint8Array(leaf.length + 1);
  b[0] = 0x00;
  b.set(leaf, 1);
  return sha256(b);
}

/** RFC 9162 section 2.1.1: the hash of an interior node over its two children. */
export async function nodeHash(left: Bytes, right: Bytes): Promise<Bytes> {
  const b = new Uint8Array(1 + left.length + right.length);
  b[0] = 0x01;
  b.set(left, 1);
  b.set(right, 1 + left.length);
  return sha256(b);
}

/** The leaf hash of a ledger entry: over the canonical JSON of {index, event, previous} (LedgerEntry.leafBytes). */
export function entryLeafHash(entry: unknown): Promise<Bytes> {
  return leafHash(canonicalBytes(entry));
}

/**
 * RFC 9162 section 2.1.1, MTH over leaf hashes in order, computed left to right with a stack of complete subtrees
 * (each the largest power of two that fits, as the definition splits), then folded from the right.
 */
export async function rootOf(leafHashes: Bytes[]): Promise<Bytes> {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  const stack: { hash: Bytes; size: number }[] = [];
  for (const h of leafHashes) {
    let top = { hash: h, size: 1 };
    while (stack.length > 0 && stack[stack.length - 1].size === top.size) {
      const left = stack.pop()!;
      top = { hash: await nodeHash(left.hash, top.hash), size: left.size * 2 };
    }
    stack.push(top);
  }
  let r = stack[stack.length - 1].hash;
  for (let i = stack.length - 2; i >= 0; i--) r = await nodeHash(stack[i].hash, r);
  return r;
}

const lsb = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}

/** RFC 9162 section 2.1.3.2: verifying an inclusion proof of a leaf hash in a tree of the given size and root. */
export async function verifyInclusion(index: number, treeSize: number, leaf: Bytes, path: string[], root: Bytes): Promise<boolean> {
  if (index >= treeSize || index < 0) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const hex of path) {
    const p = fromHex(hex);
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = await nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 section 2.1.4.2: verifying a consistency proof between two tree sizes and their roots. */
export async function verifyConsistency(first: number, second: number, firstRoot: Bytes, secondRoot: Bytes, proof: string[]): Promise<boolean> {
  if (first > second) return false;
  if (first === second) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0; // every tree extends the empty tree
  const path: Bytes[] = proof.map((x) => fromHex(x));
  if (path.length === 0) return false;
  if (isPowerOfTwo(first)) path.unshift(firstRoot);
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Bytes = path[0];
  let sr: Bytes = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot) && sn === 0;
}
