package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.HeHandle.Ciphertext;
import io.covenant.mpc.he.HeHandle.PublicKey;
import io.covenant.mpc.he.HeHandle.RelinKeys;
import io.covenant.mpc.transport.PeerLink;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data owner's program for private scoring: it evaluates the consumer's encrypted model on its own plaintext rows
 * and returns encrypted scores. It holds no secret key (it is never given one and makes none), so it learns nothing of
 * the weights; the consumer learns only the scores (with the owner's noise) and the row count.
 *
 * <p>Layout (feature-major SIMD packing): each block of S − k rows (S slots, k consumer probe rows) packs feature j of
 * every row into one plaintext p_j; with the consumer's ciphertext W_j holding w_j in every slot,
 * z = Σ_j p_j ⊙ W_j (bias as the weight of a constant 1) gives every row's linear predictor in its own slot with
 * d + 1 plaintext-ciphertext products and no rotation, so no slot ever holds a partial sum of another row. The
 * logistic link then evaluates g(z) = c0 + c1·z + c3·z³ as c0 + c1·z + z²·(c3·z): depth 2 after the inner product
 * (Kim et al. 2018 for g; the depth-optimal order as in Cheon et al. 2017 §4). Finally the owner adds a fresh
 * encryption, under the consumer's public key, of its noise (zero when it adds none): the returned ciphertext is then a
 * re-randomised encryption and not a visible linear combination of the model's ciphertexts.
 *
 * <p>Cost per block: d + 1 plaintext-ciphertext products, 2 ciphertext products with relinearisation, 4 rescales, 1
 * encryption; one ciphertext (2·N·8 bytes at the last level) back per block.
 */
public final class ScoringOwner {
  private final HeEvaluator he;
  private final ScoringPolicy policy;
  private final SecureRandom random = new SecureRandom();

  public ScoringOwner(HeEvaluator he, ScoringPolicy policy) {
    this.he = he;
    this.policy = policy;
  }

  /**
   * Runs the owner's side over the link to the consumer: receives the encrypted model, refuses it if its SHA-256 is not
   * the one the consumer recorded on the ledger ({@code modelOnLedger}, when known), scores {@code rows} and sends the
   * encrypted scores. Returns what this side records on the ledger.
   */
  public EncryptedScores run(PeerLink toConsumer, double[][] rows, Optional<Digest> modelOnLedger) {
    EncryptedModel model = HeWire.receiveModel(toConsumer);
    Digest received = model.digest();
    if (modelOnLedger.isPresent() && !modelOnLedger.get().equals(received)) {
      throw new IntegrityException("the encrypted model " + toConsumer.peer() + " sent hashes to " + received.shortForm() + ", but the ledger records "
          + modelOnLedger.get().shortForm() + " for this job: it was modified on the way or is another model; nothing was scored");
    }
    EncryptedScores scores = score(model, rows);
    HeWire.sendScores(toConsumer, scores);
    return scores;
  }

  /** Scores {@code rows} (each with the model's feature count) under the encrypted model. */
  public EncryptedScores score(EncryptedModel model, double[][] rows) {
    if (rows.length == 0) throw new MalformedInputException("there are no rows to score");
    if (rows.length > policy.maxRows()) {
      throw new MalformedInputException(rows.length + " rows exceed this owner's policy limit of " + policy.maxRows() + " rows per scoring job; nothing was scored");
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != model.features()) throw new MalformedInputException("row " + i + " has " + rows[i].length + " features; the model expects " + model.features());
      for (double v : rows[i]) if (!Double.isFinite(v)) throw new MalformedInputException("row " + i + " holds a value that is not a finite number");
    }
    HeContext ctx = he.context(model.parameters(), model.scaleBits());
    if (ctx.parameters().scheme() != HeScheme.CKKS) throw new MalformedInputException("scoring runs on CKKS parameters; the model came with " + ctx.parameters());
    int depth = model.link() == ScoringModel.Link.LOGISTIC ? 3 : 1;
    if (ctx.parameters().depth() < depth) {
      throw new MalformedInputException("a " + model.link() + " model needs " + depth + " rescales; the parameters " + ctx.parameters() + " allow " + ctx.parameters().depth());
    }
    double[][] probes = model.probes();
    int slots = ctx.slots();
    int perBlock = slots - probes.length;
    if (perBlock < 1) throw new MalformedInputException(probes.length + " probe rows leave no slot for data in " + slots + " slots");
    List<HeHandle> held = new ArrayList<>();
    try {
      PublicKey pk = he.loadPublicKey(ctx, model.publicKey());
      held.add(pk);
      RelinKeys rk = null;
      if (model.relinKeys() != null) {
        rk = he.loadRelinKeys(ctx, model.relinKeys());
        held.add(rk);
      }
      List<Ciphertext> weights = new ArrayList<>();
      for (SealBytes w : model.weights()) {
        Ciphertext c = he.loadCiphertext(ctx, w);
        held.add(c);
        weights.add(c);
      }
      List<SealBytes> blocks = new ArrayList<>();
      for (int start = 0; start < rows.length; start += perBlock) {
        int n = Math.min(perBlock, rows.length - start);
        blocks.add(scoreBlock(ctx, model, weights, pk, rk, rows, start, n, probes));
      }
      Digest keyId = model.publicKey().digest();
      return new EncryptedScores(keyId, model.digest(), rows.length, perBlock, probes.length, policy.noiseAmplitude(), blocks);
    } finally {
      he.release(held.toArray(HeHandle[]::new));
      he.release(ctx);
    }
  }

  private SealBytes scoreBlock(HeContext ctx, EncryptedModel model, List<Ciphertext> weights, PublicKey pk, RelinKeys rk, double[][] rows, int start, int n,
      double[][] probes) {
    int slots = ctx.slots();
    int features = model.features();
    double scale = ctx.parameters().scale();
    List<HeHandle> temp = new ArrayList<>();
    try {
      Ciphertext acc = null;
      for (int j = 0; j <= features; j++) {
        double[] column = new double[slots];
        for (int i = 0; i < n; i++) column[i] = j == features ? 1 : rows[start + i][j];
        for (int p = 0; p < probes.length; p++) column[n + p] = j == features ? 1 : probes[p][j];
        Ciphertext product = he.multiplyPlain(weights.get(j), column, scale);
        temp.add(product);
        if (acc == null) {
          acc = product;
        } else {
          acc = he.add(acc, product);
          temp.add(acc);
        }
      }
      Ciphertext z = he.rescale(acc);
      temp.add(z);
      Ciphertext score = model.link() == ScoringModel.Link.LOGISTIC ? logistic(ctx, model.sigmoid(), z, rk, temp) : z;
      // Probe slots carry no noise: they are how the consumer measures the encryption's own error.
      double[] noise = new double[slots];
      if (policy.noiseAmplitude() > 0) for (int i = 0; i < n; i++) noise[i] = (2 * random.nextDouble() - 1) * policy.noiseAmplitude();
      Ciphertext fresh = he.encryptReals(pk, noise, he.info(score).scale());
      temp.add(fresh);
      Ciphertext lowered = he.modSwitchTo(fresh, score);
      temp.add(lowered);
      Ciphertext out = he.add(score, lowered);
      temp.add(out);
      return he.save(out);
    } finally {
      he.release(temp.toArray(HeHandle[]::new));
    }
  }

  /**
   * c0 + c1·z + c3·z³ with every scale matched exactly: z² and c3·z come out of their rescales at the same scale
   * s_z²/q (c3 is encoded at s_z), and c1·z is encoded at the scale that makes it land on the cube's scale after its
   * rescale; setScale then only copies the cube's scale over a value equal to the last bits of a double (SEAL's
   * addition compares scales to machine precision).
   */
  private Ciphertext logistic(HeContext ctx, SigmoidPolynomial g, Ciphertext z, RelinKeys rk, List<HeHandle> temp) {
    int slots = ctx.slots();
    double sz = he.info(z).scale();
    Ciphertext zz3 = he.multiply(z, z);
    temp.add(zz3);
    Ciphertext zzRelin = he.relinearize(zz3, rk);
    temp.add(zzRelin);
    Ciphertext zz = he.rescale(zzRelin);
    temp.add(zz);
    Ciphertext cz0 = he.multiplyPlain(z, filled(slots, g.cubic()), sz);
    temp.add(cz0);
    Ciphertext cz = he.rescale(cz0);
    temp.add(cz);
    double sCz = he.info(cz).scale();
    double q = sz * sz / sCz; // the prime the first rescale divided by
    Ciphertext cube3 = he.multiply(zz, cz);
    temp.add(cube3);
    Ciphertext cubeRelin = he.relinearize(cube3, rk);
    temp.add(cubeRelin);
    Ciphertext cube = he.rescale(cubeRelin);
    temp.add(cube);
    double sCube = he.info(cube).scale();
    Ciphertext lin0 = he.multiplyPlain(z, filled(slots, g.linear()), sCube * q / sz);
    temp.add(lin0);
    Ciphertext lin1 = he.rescale(lin0);
    temp.add(lin1);
    Ciphertext lin = he.modSwitchTo(lin1, cube);
    temp.add(lin);
    he.setScale(lin, sCube);
    Ciphertext odd = he.add(cube, lin);
    temp.add(odd);
    Ciphertext out = he.addPlain(odd, filled(slots, g.c0()));
    temp.add(out);
    return out;
  }

  static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
