package io.covenant.mpc.transport;

import io.covenant.core.error.MalformedInputException;
import java.util.List;

/**
 * A seat in the three-party ring: 0, 1 or 2. Party i's next party is i+1 and its previous party is i-1 (mod 3); the
 * replicated-sharing protocols are written in these terms, as in Araki et al. (CCS 2016).
 */
public record Party(int index) implements Comparable<Party> {
  public static final Party P0 = new Party(0);
  public static final Party P1 = new Party(1);
  public static final Party P2 = new Party(2);
  private static final List<Party> ALL = List.of(P0, P1, P2);

  public Party {
    if (index < 0 || index > 2) {
      throw new MalformedInputException("party " + index + " does not exist: a three-party committee has parties 0, 1 and 2");
    }
  }

  public static Party of(int index) {
    return new Party(index);
  }

  /** Parties 0, 1, 2 in ring order. */
  public static List<Party> all() {
    return ALL;
  }

  public Party next() {
    return ALL.get((index + 1) % 3);
  }

  public Party previous() {
    return ALL.get((index + 2) % 3);
  }

  @Override
  public int compareTo(Party o) {
    return Integer.compare(index, o.index);
  }

  @Override
  public String toString() {
    return "party " + index;
  }
}
