package io.covenant.storage.blockstore;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every block in several stores (say a local store and one or more IPFS nodes). A put goes to every store
 * and succeeds when at least {@code writeQuorum} of them stored it; a get reads the stores in order and returns the
 * first copy that matches its CID, then repairs (puts the verified block back into) every store tried before it
 * that lacked the block or held a damaged copy. A store that failed for another reason (unreachable) is not
 * repaired on that read; the error is kept in the message if no store has a good copy.
 *
 * <p>Order the stores cheapest first: a miss on an IPFS node costs its timeout, a miss on a local store nothing.
 */
public final class ReplicatedBlockstore implements Blockstore {
  private final List<Blockstore> stores;
  private final int writeQuorum;

  public ReplicatedBlockstore(List<Blockstore> stores, int writeQuorum) {
    if (stores == null || stores.isEmpty()) throw new MalformedInputException("a replicated block store needs at least one store");
    this.stores = List.copyOf(stores);
    if (writeQuorum < 1 || writeQuorum > this.stores.size()) {
      throw new MalformedInputException("write quorum " + writeQuorum + " is not between 1 and the number of stores (" + this.stores.size() + ")");
    }
    this.writeQuorum = writeQuorum;
  }

  /** Stores the block in every store; throws naming the stores that failed if fewer than the quorum succeeded. */
  @Override
  public Cid put(long codec, byte[] block) {
    return put(io.covenant.core.crypto.CryptoSuite.INTL, codec, block);
  }

  @Override
  public Cid put(io.covenant.core.crypto.CryptoSuite suite, long codec, byte[] block) {
    Cid cid = Cid.of(suite, codec, block);
    List<String> failures = new ArrayList<>();
    int stored = 0;
    for (Blockstore s : stores) {
      try {
        Cid got = s.put(suite, codec, block);
        if (!got.equals(cid)) throw new IntegrityException(s + " stored block " + cid + " as " + got);
        stored++;
      } catch (CovenantException e) {
        failures.add(s + ": " + e.getMessage());
      }
    }
    if (stored < writeQuorum) {
      throw new CovenantException("block " + cid + " was stored by " + stored + " of " + stores.size() + " stores, fewer than the write quorum of "
          + writeQuorum + "; failed: " + String.join("; ", failures) + ". Bring the failed stores back and publish again");
    }
    return cid;
  }

  @Override
  public byte[] get(Cid cid) {
    List<Blockstore> needRepair = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean corrupted = false;
    for (Blockstore s : stores) {
      byte[] block;
      try {
        block = s.get(cid);
      } catch (MissingBlockException e) {
        needRepair.add(s);
        failures.add(s + ": missing");
        continue;
      } catch (IntegrityException e) {
        needRepair.add(s);
        corrupted = true;
        failures.add(s + ": " + e.getMessage());
        continue;
      } catch (CovenantException e) {
        failures.add(s + ": " + e.getMessage());
        continue;
      }
      // Every Blockstore verifies, but this class promises it too, whatever the stores do.
      if (!cid.matches(block)) {
        needRepair.add(s);
        corrupted = true;
        failures.add(s + ": returned bytes that do not match the CID");
        continue;
      }
      for (Blockstore damaged : needRepair) {
        try {
          damaged.put(cid.suite(), cid.codec(), block);
        } catch (CovenantException e) {
          // The read succeeded; the next read tries the repair again.
        }
      }
      return block;
    }
    String detail = "no store holds a copy that matches its CID (" + String.join("; ", failures) + ")";
    if (corrupted) throw new IntegrityException("block " + cid + " could not be read intact: " + detail + "; restore it from a backup or publish again");
    if (failures.size() == needRepair.size()) throw new MissingBlockException(cid, detail + "; publish it again");
    throw new CovenantException("block " + cid + " could not be read: " + detail);
  }

  /** Whether any store holds the block. */
  @Override
  public boolean has(Cid cid) {
    for (Blockstore s : stores) {
      try {
        if (s.has(cid)) return true;
      } catch (CovenantException e) {
        // An unreachable store does not hold it as far as this answer goes; get() reports it.
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "replicated store (write quorum " + writeQuorum + " of " + stores + ")";
  }
}
