package io.covenant.mpc.psi;

/** What one party takes away from a PSI run. Returned only when the run completed; a failed run returns nothing. */
public sealed interface PsiResult {
  PsiStats stats();

  /**
   * This party's rows whose id is in the intersection, ascending (every row of a repeated id).
   *
   * @param size the number of distinct ids in the intersection
   */
  record Intersection(int[] rows, int size, PsiStats stats) implements PsiResult {
    public Intersection {
      rows = rows.clone();
    }

    @Override
    public int[] rows() {
      return rows.clone();
    }
  }

  /** The job's delivery withholds the intersection from this party (a sender under {@link Delivery#RECEIVER_ONLY}). */
  record Withheld(PsiStats stats) implements PsiResult {}
}
