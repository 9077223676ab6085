package io.covenant.mpc.psi;

import io.covenant.core.error.MalformedInputException;

/** An id that cannot be matched. Names the row (counted from 0) and what is wrong, never the id itself. */
public final class MalformedIdException extends MalformedInputException {
  private final long row;

  public MalformedIdException(long row, String problem) {
    super("the id at row " + row + " " + problem + ": fix or drop that row, then rerun; nothing was sent to the peer");
    this.row = row;
  }

  public long row() {
    return row;
  }
}
