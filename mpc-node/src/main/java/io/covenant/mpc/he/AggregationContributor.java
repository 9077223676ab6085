package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.he.HeHandle.PublicKey;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A data owner's program for encrypted aggregation: it encrypts its aggregate vector under the consumer's public key
 * and sends it to the aggregator. It holds no secret key; once encrypted, not even the owner can read its contribution
 * back. Cost: ⌈length/slots⌉ encryptions and ciphertexts.
 */
public final class AggregationContributor {
  private final HeEvaluator he;
  private final OrgId self;

  public AggregationContributor(HeEvaluator he, OrgId self) {
    this.he = he;
    this.self = self;
  }

  public EncryptedContribution encrypt(AggregationKeys keys, double[] values) {
    return encrypt(keys, values, null);
  }

  public EncryptedContribution encrypt(AggregationKeys keys, long[] values) {
    return encrypt(keys, null, values);
  }

  private EncryptedContribution encrypt(AggregationKeys keys, double[] reals, long[] ints) {
    int length = reals != null ? reals.length : ints.length;
    if (length != keys.length()) throw new MalformedInputException(self + "'s vector has " + length + " values; this aggregation expects " + keys.length());
    HeContext ctx = he.context(keys.parameters(), keys.scaleBits());
    boolean ckks = ctx.parameters().scheme() == HeScheme.CKKS;
    if (ckks != (reals != null)) throw new MalformedInputException("this aggregation runs " + ctx.parameters().scheme() + ": give " + (ckks ? "reals" : "integers"));
    if (ckks) {
      for (double v : reals) if (!Double.isFinite(v)) throw new MalformedInputException(self + "'s vector holds a value that is not a finite number");
    } else {
      long limit = bfvLimit(ctx.parameters(), keys.maxContributors());
      for (long v : ints) {
        if (Math.abs(v) > limit) {
          throw new MalformedInputException(self + "'s vector holds " + v + ", beyond ±" + limit + ", the most each of " + keys.maxContributors()
              + " contributors may add without the total wrapping around the plaintext modulus; scale the values down or use CKKS");
        }
      }
    }
    PublicKey pk = he.loadPublicKey(ctx, keys.publicKey());
    try {
      List<SealBytes> chunks = new ArrayList<>();
      int slots = ctx.slots();
      for (int start = 0; start < length; start += slots) {
        int end = Math.min(length, start + slots);
        Ciphertext c = ckks ? he.encryptReals(pk, Arrays.copyOfRange(reals, start, end)) : he.encryptIntegers(pk, Arrays.copyOfRange(ints, start, end));
        try {
          chunks.add(he.save(c));
        } finally {
          he.release(c);
        }
      }
      return new EncryptedContribution(self, length, chunks);
    } finally {
      he.release(pk);
      he.release(ctx);
    }
  }

  /** The largest |value| each contributor may add under BFV: (t−1)/2 split over the contributors (t ≥ 2^(bits−1)). */
  static long bfvLimit(HeParameters p, int maxContributors) {
    long tLower = 1L << (p.plainModulusBits() - 1);
    return (tLower - 1) / 2 / maxContributors;
  }

  /**
   * The owner's side: receives the consumer's keys, encrypts {@code values} (double[] for CKKS, long[] for BFV) and
   * sends the contribution to the aggregator. Returns it: its digest is what the owner records on the ledger.
   */
  public EncryptedContribution run(PeerLink fromConsumer, PeerLink toAggregator, Object values) {
    AggregationKeys keys = HeWire.receiveKeys(fromConsumer);
    EncryptedContribution c = switch (values) {
      case double[] d -> encrypt(keys, d);
      case long[] l -> encrypt(keys, l);
      default -> throw new MalformedInputException("an aggregate vector is double[] (CKKS) or long[] (BFV)");
    };
    HeWire.sendContribution(toAggregator, c);
    return c;
  }
}
