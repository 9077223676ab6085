package io.covenant.storage.blockstore;

import io.covenant.core.cid.Cid;
import java.util.Map;

/**
 * Blocks that travelled with a request (the manifests a coordinator sends along with a job, sparing the worker a
 * round trip to fetch them), read before the inner store. Untrusted like any block: each is verified against its CID
 * when read, so a carried block that does not match is an {@link io.covenant.core.error.IntegrityException} naming
 * the CID, never bytes the reader did not ask for. Writes and unknown CIDs go to the inner store.
 */
public final class CarriedBlocks implements Blockstore {
  private final Blockstore inner;
  private final Map<Cid, byte[]> carried;

  public CarriedBlocks(Blockstore inner, Map<Cid, byte[]> carried) {
    this.inner = inner;
    this.carried = Map.copyOf(carried);
  }

  @Override
  public byte[] get(Cid cid) {
    byte[] block = carried.get(cid);
    return block == null ? inner.get(cid) : cid.verify(block.clone());
  }

  @Override
  public Cid put(long codec, byte[] block) {
    return inner.put(codec, block);
  }

  @Override
  public Cid put(io.covenant.core.crypto.CryptoSuite suite, long codec, byte[] block) {
    return inner.put(suite, codec, block);
  }

  @Override
  public boolean has(Cid cid) {
    return carried.containsKey(cid) || inner.has(cid);
  }

  @Override
  public String toString() {
    return inner + " (with " + carried.size() + " carried block" + (carried.size() == 1 ? "" : "s") + ")";
  }
}
