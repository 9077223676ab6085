package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.transport.PeerLink;
import java.util.List;
import java.util.Map;

/**
 * The consumer's program for encrypted aggregation: it makes a key pair, publishes {@link AggregationKeys} to the
 * owners and the aggregator, and decrypts the one total it is handed, after checking that the total was summed from
 * exactly the inputs the owners recorded on the ledger. It never sees an individual owner's vector: each contribution
 * goes to the aggregator, and the aggregator sends only the sum.
 *
 * <p>Precision: BFV totals are exact (the keys bound each value so that the sum cannot wrap modulo t). CKKS totals
 * are off by at most n·(B_clean + N)/Δ per value for n contributions, with B_clean = 8√2·σN + 6σ√N + 16σ√(hN) the
 * high-probability bound on a fresh encryption's error (Cheon, Kim, Kim, Song, ASIACRYPT 2017, Lemma 1; σ = 3.2, h ≤ N
 * for SEAL's ternary secret) and N/Δ for the encoder's rounding; additions add errors and nothing else.
 */
public final class AggregationConsumer implements AutoCloseable {
  private final HeEvaluator he;
  private final HeContext context;
  private final KeyPair keys;
  private final int length;
  private final int maxContributors;

  public AggregationConsumer(HeEvaluator he, HeParameters parameters, int length, int maxContributors) {
    if (length < 1) throw new MalformedInputException("an aggregated vector has at least one value");
    this.he = he;
    this.context = he.context(parameters);
    this.keys = he.generateKeys(context);
    this.length = length;
    this.maxContributors = maxContributors;
  }

  public AggregationKeys keys() {
    return new AggregationKeys(context.parameterBytes(), context.parameters().scaleBits(), keys.publicKeyBytes(), length, maxContributors);
  }

  /** A decrypted total, with its precision and the digests it was checked against. */
  public record Total(double[] reals, long[] integers, Precision precision, Digest totalDigest) {}

  /** The per-value error bound of a sum of {@code contributions} fresh CKKS encryptions under {@code p}. */
  public static double ckksSumBound(HeParameters p, int contributions) {
    double sigma = 3.2;
    double n = p.polyModulusDegree();
    double clean = 8 * Math.sqrt(2) * sigma * n + 6 * sigma * Math.sqrt(n) + 16 * sigma * Math.sqrt(n * n);
    return contributions * (clean + n) / p.scale();
  }

  /**
   * Decrypts {@code total} if every contributor it names recorded exactly the input digest it lists
   * ({@code recordedInputs}, from the ledger) and no recorded contribution is missing.
   */
  public Total decrypt(EncryptedTotal total, Map<OrgId, Digest> recordedInputs) {
    if (!total.contributors().stream().distinct().toList().equals(total.contributors()) || !new java.util.HashSet<>(total.contributors()).equals(recordedInputs.keySet())) {
      throw new IntegrityException("the total was summed from " + total.contributors() + " but the ledger records contributions from " + recordedInputs.keySet()
          + "; no total is released");
    }
    for (int i = 0; i < total.contributors().size(); i++) {
      OrgId who = total.contributors().get(i);
      if (!recordedInputs.get(who).equals(total.inputDigests().get(i))) {
        throw new IntegrityException("the total lists " + who + "'s input as " + total.inputDigests().get(i).shortForm() + " but " + who + " recorded "
            + recordedInputs.get(who).shortForm() + " on the ledger; no total is released");
      }
    }
    if (total.length() != length) throw new IntegrityException("the total has " + total.length() + " values; this aggregation has " + length);
    int n = total.contributors().size();
    boolean ckks = context.parameters().scheme() == HeScheme.CKKS;
    double[] reals = ckks ? new double[length] : null;
    long[] ints = ckks ? null : new long[length];
    int slots = context.slots();
    for (int c = 0; c < total.chunks().size(); c++) {
      Ciphertext ct = he.loadCiphertext(context, total.chunks().get(c));
      try {
        int start = c * slots;
        int m = Math.min(slots, length - start);
        if (ckks) System.arraycopy(he.decryptReals(keys.secretKey(), ct), 0, reals, start, m);
        else System.arraycopy(he.decryptIntegers(keys.secretKey(), ct), 0, ints, start, m);
      } finally {
        he.release(ct);
      }
    }
    Precision p = ckks
        ? new Precision(Double.NaN, ckksSumBound(context.parameters(), n), 0, "CKKS fresh-encryption bound (Cheon et al. 2017, Lemma 1) times " + n + " contributions")
        : new Precision(0, 0, 0, "exact (BFV); each contribution bounded so that the total cannot wrap modulo t");
    return new Total(reals, ints, p, total.digest());
  }

  /**
   * The consumer's side: sends the keys to every owner and to the aggregator, then receives and decrypts the total.
   * {@code ledger} returns the input digests the owners recorded.
   */
  public Total run(List<PeerLink> toOwners, PeerLink toAggregator, java.util.function.Supplier<Map<OrgId, Digest>> ledger) {
    AggregationKeys k = keys();
    for (PeerLink owner : toOwners) HeWire.sendKeys(owner, k);
    HeWire.sendKeys(toAggregator, k);
    return decrypt(HeWire.receiveTotal(toAggregator), ledger.get());
  }

  @Override
  public void close() {
    he.release(keys.secretKey(), keys.publicKey());
    he.release(context);
  }
}
