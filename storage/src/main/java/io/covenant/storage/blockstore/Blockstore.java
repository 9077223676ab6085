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
   * The block, verified against its CID: MissingBlockException if absent, IntegrityException naming the CID if
   * corrupted or truncated. Never returns unverified bytes.
   */
  byte[] get(Cid cid);

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
