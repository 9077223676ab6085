package io.covenant.tee.compute;

import io.covenant.core.cid.Cid;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.dataset.ShardRef;
import io.covenant.storage.dataset.SignedManifest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * A block store that starts fetching the first sealed shards of a job's inputs at once, while the owners are still
 * deciding whether to release their keys, and serves each prefetched shard once: when the store is the coordinator's
 * block API, the shards' round trips then overlap the key requests instead of following them. Only ciphertext is
 * fetched (what the coordinator holds anyway); each block is still verified against its CID by the inner store, and a
 * failed prefetch fails the read of that block exactly as a direct read would. At most {@code budgetBytes} of sealed
 * shards are held ahead, so a large input is not read into memory; the rest is read as before.
 */
final class PrefetchedBlocks implements Blockstore {
  private final Blockstore inner;
  private final Map<Cid, CompletableFuture<byte[]>> fetched = new ConcurrentHashMap<>();

  PrefetchedBlocks(Blockstore inner, List<SignedManifest> manifests, long budgetBytes, ExecutorService fetchers) {
    this.inner = inner;
    long left = budgetBytes;
    // Round-robin over the inputs, so each one's first shards are ready when its key arrives.
    for (int round = 0; left > 0; round++) {
      boolean any = false;
      for (SignedManifest m : manifests) {
        List<ShardRef> shards = m.manifest().shards();
        if (round >= shards.size()) continue;
        ShardRef ref = shards.get(round);
        if (ref.sealedBytes() > left) return;
        left -= ref.sealedBytes();
        any = true;
        fetched.computeIfAbsent(ref.cid(), cid -> CompletableFuture.supplyAsync(() -> inner.get(cid), fetchers));
      }
      if (!any) return;
    }
  }

  @Override
  public byte[] get(Cid cid) {
    CompletableFuture<byte[]> f = fetched.remove(cid);
    if (f == null) return inner.get(cid);
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw e;
    }
  }

  @Override
  public Cid put(long codec, byte[] block) {
    return inner.put(codec, block);
  }

  @Override
  public boolean has(Cid cid) {
    return fetched.containsKey(cid) || inner.has(cid);
  }

  /** Drops what was fetched but not read (a failed job): the bytes are ciphertext, but need not stay in memory. */
  void discard() {
    fetched.values().forEach(f -> f.cancel(false));
    fetched.clear();
  }
}
