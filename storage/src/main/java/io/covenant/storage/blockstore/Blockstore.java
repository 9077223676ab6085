package io.covenant.storage.blockstore;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;

/**
 * Content-addressed block storage with the same addresses IPFS uses: a block is stored under the CIDv1 (sha2-256)
 * of its bytes. Implementations verify every block they return against its CID, so a caller never sees bytes that
 * differ from what was put.
 */
public interface Blockstore {
  /**
   * Stores block under the CIDv1 of its bytes (sha2-256) with this multicodec (Cid.RAW for shards, Cid.DAG_JSON for
   * manifests); idempotent; durable when it returns.
   */
  Cid put(long codec, byte[] block);

  /**
   * Stores {@code block} under the CID of {@code suite}'s hash (sha2-256 or sm3-256). Stores that cannot keep sm3-256
   * blocks (an IPFS node: Kubo does not hash with SM3) refuse the national suite with {@link UnsupportedSuiteException}.
   */
  default Cid put(io.covenant.core.crypto.CryptoSuite suite, long codec, byte[] block) {
    if (!suite.isNational()) return put(codec, block);
    throw new UnsupportedSuiteException(this + " cannot store blocks addressed by sm3-256 (the national suite's CIDs): an IPFS node such as Kubo "
        + "does not hash with SM3, so it cannot check or serve them by CID. Keep national-suite datasets in the local block store ('--blockstore local')");
  }

  /**
   * The block, verified against its CID: MissingBlockException if absent, IntegrityException naming the CID if
   * corrupted or truncated. Never returns unverified bytes.
   */
  byte[] get(Cid cid);

  /**
   * The block as stored, for a server that passes it on to a reader who checks it against its CID itself (as
   * {@link HttpBlockstore} does, naming the server if it does not match): a store may skip its own check here, which
   * hashed every shard a second time on the coordinator. MissingBlockException if absent. Whoever uses the bytes
   * calls {@link #get(Cid)}.
   */
  default byte[] getToRelay(Cid cid) {
    return get(cid);
  }

  /**
   * Like {@link #get(Cid)}, but into {@code into} from index 0, returning the block's length, so a reader can reuse
   * one buffer for many blocks instead of allocating (and garbage-collecting) one per block. Verified the same way;
   * IntegrityException naming the CID if the block is larger than {@code into}.
   */
  default int get(Cid cid, byte[] into) {
    byte[] block = get(cid);
    if (block.length > into.length) {
      throw new IntegrityException("block " + cid + " is " + block.length + " bytes, more than the " + into.length + " expected");
    }
    System.arraycopy(block, 0, into, 0, block.length);
    return block.length;
  }

  boolean has(Cid cid);
}
