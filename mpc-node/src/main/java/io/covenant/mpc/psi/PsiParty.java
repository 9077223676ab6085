package io.covenant.mpc.psi;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.transport.PeerLink;

/**
 * A party's program for private set intersection: one organisation runs it with its own id column and its link to the
 * other organisation's node; the other runs it with the other role. Ids are normalised and checked before anything is
 * sent; the result is returned only once the run has completed, so a failure (a malformed id, a peer that leaves, sends
 * the wrong number of elements or runs another job) leaves nothing behind but the exception.
 *
 * <p>Protocols: {@link PsiProtocol#ECDH_P256} ({@link EcdhPsi}) and {@link PsiProtocol#KKRT16} ({@link KkrtPsi}); both
 * reveal to the parties the intersection (to those the job's {@link Delivery} names) and both set sizes, nothing else.
 */
public final class PsiParty {
  private PsiParty() {}

  /** Runs one PSI as {@code role}. The link is not closed. */
  public static PsiResult intersect(PsiJob job, PsiRole role, IdSource ids, PeerLink link) {
    Alignment a = align(job, role, PreparedIds.of(ids, job), link);
    if (a.ownAligned == null) return new PsiResult.Withheld(a.stats);
    return new PsiResult.Intersection(a.rows, a.ownAligned.length, a.stats);
  }

  /**
   * Runs one PSI as {@code role} in the payload mode: both parties learn the aligned order of the intersection and end
   * with additive shares in Z_2^64 of every feature column of both parties, restricted to the intersection and encoded
   * with {@code encoding} (see {@link AlignedShares}). The job's delivery must be {@link Delivery#BOTH}, and each id may
   * occur on one row only. Features are checked and encoded before anything is sent.
   */
  public static AlignedShares intersectWithPayload(PsiJob job, PsiRole role, IdSource ids, FeatureColumns features, FixedPoint encoding,
      PeerLink link) {
    if (job.delivery() != Delivery.BOTH) {
      throw new MalformedInputException("the payload mode needs delivery BOTH: both parties must learn the aligned order of the "
          + "intersection to share its rows; job " + job.jobId() + " delivers to " + job.delivery());
    }
    PreparedIds prepared = PreparedIds.of(ids, job);
    if (prepared.firstRepeatedRow >= 0) {
      throw new MalformedIdException(prepared.firstRepeatedRow, "repeats an id of an earlier row; the payload mode needs one row per id");
    }
    long[][] encoded = new long[features.names().size()][];
    for (int c = 0; c < encoded.length; c++) {
      double[] column = features.column(c);
      if (column.length != prepared.rows) {
        throw new MalformedInputException("feature column " + features.names().get(c) + " has " + column.length + " rows where the id column has "
            + prepared.rows + ": both must describe the same rows");
      }
      encoded[c] = encoding.encode(column);
    }
    Alignment a = align(job, role, prepared, link);
    return PayloadExchange.exchange(job, role, a, features.names(), encoded, encoding, link, n -> PsiRun.randomWords(new java.security.SecureRandom(), n));
  }

  /** The matched distinct ids of one party, in the order both parties agree on (the receiver's order). */
  record Alignment(PreparedIds ids, int[] ownAligned, int[] rows, PsiStats stats) {}

  static Alignment align(PsiJob job, PsiRole role, PreparedIds ids, PeerLink link) {
    return align(job, role, ids, link, PartyView.NONE);
  }

  static Alignment align(PsiJob job, PsiRole role, PreparedIds ids, PeerLink link, PartyView view) {
    MatchingProtocol protocol = switch (job.protocol()) {
      case ECDH_P256 -> new EcdhPsi();
      case KKRT16 -> new KkrtPsi();
    };
    try (PsiRun run = new PsiRun(job, role, ids, link, view)) {
      run.handshake();
      if (role == PsiRole.RECEIVER) {
        int[] match = protocol.runAsReceiver(run);
        int count = 0;
        for (int m : match) if (m >= 0) count++;
        int[] own = new int[count];
        int[] theirs = new int[count];
        boolean[] matched = new boolean[ids.distinct];
        int k = 0;
        for (int i = 0; i < match.length; i++) {
          if (match[i] < 0) continue;
          own[k] = i;
          theirs[k++] = match[i];
          matched[i] = true;
        }
        if (job.delivery() == Delivery.BOTH) run.sendInts(theirs);
        return new Alignment(ids, own, ids.rowsOf(matched), run.stats());
      }
      int[] order = protocol.runAsSender(run);
      if (job.delivery() != Delivery.BOTH) return new Alignment(ids, null, null, run.stats());
      int[] positions = run.receiveInts(Math.min(ids.distinct, run.peerDistinct), Math.max(ids.distinct, 1), "matched positions");
      boolean[] matched = new boolean[ids.distinct];
      int[] own = new int[positions.length];
      for (int i = 0; i < positions.length; i++) {
        own[i] = order[positions[i]];
        if (matched[own[i]]) throw run.malformed("the same matched position twice");
        matched[own[i]] = true;
      }
      return new Alignment(ids, own, ids.rowsOf(matched), run.stats());
    }
  }
}
