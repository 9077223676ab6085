package io.covenant.mpc.fl.privacy;

import io.covenant.core.error.MalformedInputException;
import java.util.Arrays;

/**
 * A Rényi-DP accountant for the (Poisson-)sampled Gaussian mechanism, at integer orders.
 *
 * <p>Per step, the mechanism adds N(0, σ²·S²) to a sum of contributions clipped to norm S, each included with
 * probability q. Its RDP at integer order α is ε(α) = log(A_α)/(α−1) with A_α = Σ_{k=0}^{α} C(α,k) (1−q)^{α−k} q^k
 * exp((k²−k)/(2σ²)) (Mironov, Talwar and Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
 * 2019, §3.3, the integer-α case), which for q = 1 is the Gaussian mechanism's α/(2σ²) (Mironov, "Rényi
 * Differential Privacy", CSF 2017, Prop. 7). RDP composes by addition (Mironov 2017, Prop. 1). The conversion to
 * (ε, δ)-DP is ε = min_α [ ε(α) + log((α−1)/α) − (log δ + log α)/(α−1) ] (Balle et al., "Hypothesis Testing
 * Interpretations and Renyi Differential Privacy", AISTATS 2020, Thm. 21; Canonne, Kamath and Steinke 2020, Prop. 12),
 * tighter than Mironov's ε(α) + log(1/δ)/(α−1) and the one TensorFlow Privacy's and Google's dp_accounting use, so
 * the numbers can be checked against theirs.
 *
 * <p>Sums are taken in log space, so large orders and small σ neither overflow nor lose the small terms.
 */
public final class RdpAccountant {
  /** Orders 2 to 64, then 128, 256, 512 and 1024: small ε needs large orders, large ε small ones. */
  public static final int[] DEFAULT_ORDERS = defaultOrders();

  private final int[] orders;
  private final double[] rdp;

  public RdpAccountant() {
    this(DEFAULT_ORDERS);
  }

  public RdpAccountant(int[] orders) {
    if (orders.length == 0) throw new MalformedInputException("an RDP accountant needs at least one order");
    for (int a : orders) if (a < 2) throw new MalformedInputException("RDP orders here are integers of at least 2; got " + a);
    this.orders = orders.clone();
    this.rdp = new double[orders.length];
  }

  private static int[] defaultOrders() {
    int[] o = new int[63 + 4];
    for (int i = 0; i < 63; i++) o[i] = i + 2;
    o[63] = 128;
    o[64] = 256;
    o[65] = 512;
    o[66] = 1024;
    return o;
  }

  /** An accountant with the same history, to ask "what if" without spending. */
  public RdpAccountant copy() {
    RdpAccountant c = new RdpAccountant(orders);
    System.arraycopy(rdp, 0, c.rdp, 0, rdp.length);
    return c;
  }

  /** Records {@code steps} runs of the Gaussian mechanism with noise multiplier σ on contributions sampled at rate q. */
  public RdpAccountant compose(double samplingRate, double noiseMultiplier, int steps) {
    if (!(samplingRate >= 0 && samplingRate <= 1)) throw new MalformedInputException("a sampling rate is between 0 and 1; got " + samplingRate);
    if (!(noiseMultiplier >= 0)) throw new MalformedInputException("a noise multiplier is 0 or more; got " + noiseMultiplier);
    if (steps < 0) throw new MalformedInputException("the number of steps is 0 or more; got " + steps);
    for (int i = 0; i < orders.length; i++) rdp[i] += steps * sampledGaussianRdp(samplingRate, noiseMultiplier, orders[i]);
    return this;
  }

  /** ε(α) of one step of the sampled Gaussian mechanism at integer order α. */
  public static double sampledGaussianRdp(double q, double sigma, int alpha) {
    if (q == 0) return 0;
    if (sigma == 0) return Double.POSITIVE_INFINITY;
    if (q == 1) return alpha / (2 * sigma * sigma);
    return logA(q, sigma, alpha) / (alpha - 1);
  }

  private static double logA(double q, double sigma, int alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double logBinomial = 0; // log C(α, 0)
    double acc = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= alpha; k++) {
      double term = logBinomial + k * logQ + (alpha - k) * log1mQ + (k * (double) k - k) / (2 * sigma * sigma);
      acc = logAdd(acc, term);
      logBinomial += Math.log(alpha - k) - Math.log(k + 1.0);
    }
    return acc;
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) return b;
    double hi = Math.max(a, b);
    return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
  }

  /** The accumulated RDP at each order, in the order of {@link #orders()}. */
  public double[] rdp() {
    return rdp.clone();
  }

  public int[] orders() {
    return orders.clone();
  }

  /** The smallest ε such that everything composed so far is (ε, δ)-DP, and the order that gives it. */
  public PrivacySpent spent(double delta) {
    return epsilon(orders, rdp, delta);
  }

  /** (ε, δ) from RDP values at the given orders (see the class comment for the conversion). */
  public static PrivacySpent epsilon(int[] orders, double[] rdp, double delta) {
    if (!(delta > 0 && delta < 1)) throw new MalformedInputException("δ is strictly between 0 and 1; got " + delta);
    if (orders.length != rdp.length) throw new MalformedInputException(orders.length + " orders for " + rdp.length + " RDP values");
    double best = Double.POSITIVE_INFINITY;
    int bestOrder = orders[0];
    for (int i = 0; i < orders.length; i++) {
      double a = orders[i];
      double eps = rdp[i] + Math.log((a - 1) / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
      if (eps < best) {
        best = eps;
        bestOrder = orders[i];
      }
    }
    return new PrivacySpent(Math.max(0, best), delta, bestOrder);
  }

  @Override
  public String toString() {
    return "RdpAccountant" + Arrays.toString(orders);
  }
}
