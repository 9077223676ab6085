package io.covenant.storage;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.CovenantException;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.blockstore.MissingBlockException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test block store in memory that can be told to fail after a number of puts (the way a full disk fails) and
 * whose stored bytes a test can damage. Verifies reads like every real store.
 */
public final class MemoryBlockstore implements Blockstore {
  private final Map<Cid, byte[]> blocks = new ConcurrentHashMap<>();
  private final List<Long> codecsPut = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger putsLeft;
  private final String name;

  public MemoryBlockstore(String name, int putsBeforeFailing) {
    this.name = name;
    this.putsLeft = new AtomicInteger(putsBeforeFailing);
  }

  public static MemoryBlockstore healthy(String name) {
    return new MemoryBlockstore(name, Integer.MAX_VALUE);
  }

  @Override
  public Cid put(long codec, byte[] block) {
    Cid cid = Cid.of(codec, block);
    if (putsLeft.getAndDecrement() <= 0) {
      throw new CovenantException("could not store block " + cid + " in " + name + ": No space left on device; check free space and permissions");
    }
    blocks.put(cid, block.clone());
    codecsPut.add(codec);
    return cid;
  }

  @Override
  public byte[] get(Cid cid) {
    byte[] b = blocks.get(cid);
    if (b == null) throw new MissingBlockException(cid, name + " does not hold it");
    return cid.verify(b.clone());
  }

  @Override
  public boolean has(Cid cid) {
    return blocks.containsKey(cid);
  }

  public void remove(Cid cid) {
    blocks.remove(cid);
  }

  public void corrupt(Cid cid) {
    blocks.computeIfPresent(cid, (k, v) -> {
      byte[] c = v.clone();
      c[c.length / 2] ^= 1;
      return c;
    });
  }

  /** How many blocks of this codec were stored. */
  public long stored(long codec) {
    synchronized (codecsPut) {
      return codecsPut.stream().filter(c -> c == codec).count();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
