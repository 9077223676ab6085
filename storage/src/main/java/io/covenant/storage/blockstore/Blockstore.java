package io.covenant.storage.blockstore;

import io.covenant.core.cid.Cid;

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

  boolean has(Cid cid);
}
