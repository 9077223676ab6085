package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer's (insurer's) program for private scoring: it makes a key pair in its own evaluator, encrypts its model
 * under it ({@link #encryptModel}), and decrypts the owner's encrypted scores ({@link #decrypt}) after checking them
 * against the ledger, the key they are under, and its own probe rows. The secret key never leaves its evaluator.
 *
 * <p>Precision: the consumer's probe rows ride in the same ciphertexts as the owner's rows, so their error (decrypted
 * probe score against the consumer's own plaintext score) is the encryption's error on this very computation. It is
 * reported as measured with every result, and a result whose probes are off by more than the stated bound is refused:
 * that is also how a ciphertext under another key that carries this key's id is caught (it decrypts to garbage). The
 * probe rows travel to the owner in the clear (it packs them as plaintext), so they must carry nothing of the model:
 * {@link FeatureRanges} draws them afresh per job in public ranges.
 */
public final class ScoringConsumer implements AutoCloseable {

  /**
   * The error the consumer states and accepts per score with {@link HeParameters#CKKS_SCORING} (scale 2^38): measured
   * errors are about 10^-7 for the logistic circuit and 10^-8 for the linear one on scores of size 1; the bound leaves
   * three orders of magnitude.
   */
  public static final double DEFAULT_BOUND = 1e-4;

  /**
   * Probe rows when the consumer names none: 8 rows with features uniform in [-1, 1], drawn afresh from a SecureRandom
   * for every call (FeatureRanges#unit): the owner receives them in the clear, so they must be no function of the model,
   * nor rows the owner could regenerate.
   */
  public static double[][] defaultProbes(int features) {
    return FeatureRanges.unit(features).draw(new java.security.SecureRandom());
  }

  private final HeEvaluator he;
  private final ScoringModel model;
  private final HeContext context;
  private final KeyPair keys;
  private final double[][] probes;
  private final double bound;

  /** Makes the consumer's key pair under {@code parameters} (CKKS, deep enough for the model's link). */
  public ScoringConsumer(HeEvaluator he, HeParameters parameters, ScoringModel model, double[][] probes, double bound) {
    if (parameters.scheme() != HeScheme.CKKS) throw new MalformedInputException("scoring runs on CKKS parameters; got " + parameters);
    int depth = model.link() == ScoringModel.Link.LOGISTIC ? 3 : 1;
    if (parameters.depth() < depth) {
      throw new MalformedInputException("a " + model.link() + " model needs " + depth + " rescales; " + parameters + " allows " + parameters.depth()
          + "; use HeParameters.CKKS_SCORING");
    }
    for (double[] p : probes) if (p.length != model.features()) throw new MalformedInputException("probe rows have " + model.features() + " features");
    if (!(bound > 0)) throw new MalformedInputException("the precision bound is a positive number; got " + bound);
    this.he = he;
    this.model = model;
    this.probes = probes.clone();
    this.bound = bound;
    this.context = he.context(parameters);
    this.keys = he.generateKeys(context);
  }

  public ScoringConsumer(HeEvaluator he, ScoringModel model) {
    this(he, HeParameters.CKKS_SCORING, model, defaultProbes(model.features()), DEFAULT_BOUND);
  }

  /** The id of the consumer's key: the SHA-256 of its public key's SEAL bytes. */
  public Digest keyId() {
    return keys.keyId();
  }

  /** Encrypts the model: one ciphertext per weight, the weight in every slot, the bias last. */
  public EncryptedModel encryptModel() {
    double[] w = model.weights();
    List<SealBytes> weights = new ArrayList<>();
    for (int j = 0; j <= w.length; j++) {
      Ciphertext c = he.encryptReals(keys.publicKey(), ScoringOwner.filled(context.slots(), j == w.length ? model.bias() : w[j]));
      try {
        weights.add(he.save(c));
      } finally {
        he.release(c);
      }
    }
    SealBytes relin = null;
    if (model.link() == ScoringModel.Link.LOGISTIC) {
      HeHandle.RelinKeys rk = he.relinKeys(keys.secretKey());
      try {
        relin = he.save(rk);
      } finally {
        he.release(rk);
      }
    }
    return new EncryptedModel(model.link(), model.sigmoid(), model.features(), context.parameters().scaleBits(), context.parameterBytes(), keys.publicKeyBytes(),
        relin, weights, probes);
  }

  /** The decrypted scores, one per owner row, with the precision reached. */
  public record Scores(double[] values, Precision precision, Digest modelDigest, Digest scoresDigest) {
    @Override
    public double[] values() {
      return values.clone();
    }
  }

  /**
   * Decrypts {@code scores} if they are what the ledger records ({@code recorded}: the owner's SHA-256 of them), were
   * computed from {@code sent} (this consumer's encrypted model), are under this consumer's key, and their probe rows
   * come out within the bound. Refuses otherwise, releasing nothing.
   */
  public Scores decrypt(EncryptedScores scores, EncryptedModel sent, Digest recorded) {
    Digest actual = scores.digest();
    if (!actual.equals(recorded)) {
      throw new IntegrityException("the encrypted scores hash to " + actual.shortForm() + " but the ledger records " + recorded.shortForm()
          + ": they were modified after the owner recorded them; no score is released. Ask the owner to send them again");
    }
    if (!scores.keyId().equals(keys.keyId())) {
      throw new WrongKeyException("the encrypted scores are under the key " + scores.keyId().shortForm() + ", not this consumer's key " + keys.keyId().shortForm()
          + "; only the holder of that key can decrypt them");
    }
    if (!scores.modelDigest().equals(sent.digest())) {
      throw new IntegrityException("the encrypted scores were computed from the model " + scores.modelDigest().shortForm() + ", not from the one this consumer sent ("
          + sent.digest().shortForm() + "); no score is released");
    }
    if (scores.probes() != probes.length || scores.rowsPerBlock() + scores.probes() != context.slots()) {
      throw new IntegrityException("the encrypted scores do not follow this job's layout (" + scores.rowsPerBlock() + " rows and " + scores.probes() + " probes per block, "
          + "expected " + (context.slots() - probes.length) + " and " + probes.length + "); no score is released");
    }
    double[] expectedProbes = new double[probes.length];
    for (int p = 0; p < probes.length; p++) expectedProbes[p] = model.score(probes[p]);
    double[] out = new double[scores.rows()];
    double measured = 0;
    for (int b = 0; b < scores.blocks().size(); b++) {
      Ciphertext c = he.loadCiphertext(context, scores.blocks().get(b));
      double[] slots;
      try {
        slots = he.decryptReals(keys.secretKey(), c);
      } finally {
        he.release(c);
      }
      int start = b * scores.rowsPerBlock();
      int n = Math.min(scores.rowsPerBlock(), scores.rows() - start);
      System.arraycopy(slots, 0, out, start, n);
      for (int p = 0; p < probes.length; p++) {
        double e = Math.abs(slots[n + p] - expectedProbes[p]);
        measured = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(measured, e);
      }
    }
    if (measured > bound) {
      throw new WrongKeyException(String.format("the consumer's probe rows decrypt %.3g away from their plaintext scores (bound %.3g): the scores were not encrypted "
          + "under this consumer's key, or were computed wrongly; no score is released", measured, bound));
    }
    String basis = probes.length + " probe rows per ciphertext, " + model.link().toString().toLowerCase() + " circuit, " + context.parameters();
    return new Scores(out, new Precision(measured, bound, scores.noiseAmplitude(), basis), sent.digest(), actual);
  }

  /** What the consumer's run produced: the scores and the two digests it checks against the ledger. */
  public record Outcome(Scores scores, EncryptedModel model, EncryptedScores encrypted) {}

  /**
   * The consumer's side over the link to the owner: sends the encrypted model, receives the encrypted scores and
   * decrypts them. {@code ledger} returns the scores' SHA-256 as the owner recorded it (in-process tests pass the
   * owner's record; a node reads the ledger).
   */
  public Outcome run(PeerLink toOwner, java.util.function.Supplier<Digest> ledger) {
    EncryptedModel m = encryptModel();
    HeWire.sendModel(toOwner, m);
    EncryptedScores s = HeWire.receiveScores(toOwner);
    return new Outcome(decrypt(s, m, ledger.get()), m, s);
  }

  @Override
  public void close() {
    he.release(keys.secretKey(), keys.publicKey());
    he.release(context);
  }
}
