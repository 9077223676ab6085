package io.covenant.storage.blockstore;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.CovenantException;

/** A block that the store does not hold: never stored, stored elsewhere, or removed. */
public class MissingBlockException extends CovenantException {
  private final transient Cid cid;

  /** {@code detail} says where it was looked for and what to do; the message always starts by naming the CID. */
  public MissingBlockException(Cid cid, String detail) {
    super("block " + cid + " is missing: " + detail);
    this.cid = cid;
  }

  /** The block that was asked for. */
  public Cid cid() {
    return cid;
  }
}
