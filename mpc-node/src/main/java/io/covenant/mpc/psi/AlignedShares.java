package io.covenant.mpc.psi;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.ring.FixedPoint;
import java.util.List;

/**
 * One party's output of the payload mode. {@code rows} are this party's rows of the intersection in the order both
 * parties agreed (the receiver's row order), so element k of every column below belongs to the k-th matched pair.
 * {@code columns} lists every feature column of both parties (the receiver's first, then the sender's, the same list on
 * both sides); for each, this party holds one additive share in Z_2^64 of the fixed-point encoding: adding the two
 * parties' shares (mod 2^64) gives {@code encoding.encode(value)}. A share alone is uniformly random.
 *
 * <p>Into the three-party engine: each party enters its share vector as an owner input ({@code OwnerInput.share}, ABY3
 * §5.1), giving two replicated sharings [a] and [b] among the committee; [a] + [b] (local, {@code ReplicatedSharing.add})
 * is a replicated sharing of the column, and no one party of the committee learns it.
 */
public record AlignedShares(int[] rows, List<SharedColumn> columns, FixedPoint encoding, PsiStats stats) {
  public AlignedShares {
    rows = rows.clone();
    columns = List.copyOf(columns);
  }

  @Override
  public int[] rows() {
    return rows.clone();
  }

  /** One feature column as this party's additive share; {@code owner} is the organisation whose column it is. */
  public record SharedColumn(String name, OrgId owner, long[] share) {
    public SharedColumn {
      share = share.clone();
    }

    @Override
    public long[] share() {
      return share.clone();
    }

    @Override
    public String toString() {
      return "SharedColumn[" + name + " of " + owner + ", " + share.length + " shares]"; // never the shares
    }
  }
}
