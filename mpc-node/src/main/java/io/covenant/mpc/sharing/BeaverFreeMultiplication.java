package io.covenant.mpc.sharing;

import io.covenant.mpc.transport.PartyChannel;

/**
 * Multiplication of replicated shares without Beaver triples, from Araki, Furukawa, Lindell, Nof and Ohara,
 * "High-Throughput Semi-Honest Secure Three-Party Computation with an Honest Majority", ACM CCS 2016, §2.2.
 *
 * <p>Party i holds (x_i, x_{i+1}) and (y_i, y_{i+1}) and computes
 * z_i = x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i + alpha_i, where (alpha_0, alpha_1, alpha_2) is a fresh sharing of zero from
 * {@link CorrelatedRandomness}. The three terms of the three parties cover all nine products x_a·y_b, so
 * z_0 + z_1 + z_2 = x·y; alpha_i hides z_i from whoever receives it. Party i then sends z_i to party i-1, which turns
 * the 3-out-of-3 sharing back into a replicated one: party i holds (z_i, z_{i+1}).
 *
 * <p>Cost: one round; each party sends one 64-bit word per element to its previous party (n words per party, 3n in
 * all). The {@link #innerProduct} variant adds the local terms before resharing and sends one word whatever n is.
 */
public final class BeaverFreeMultiplication {
  private BeaverFreeMultiplication() {}

  /** Element-wise product x ⊙ y, exact in Z_2^64. */
  public static ShareVector multiply(ShareVector x, ShareVector y, CorrelatedRandomness randomness, PartyChannel channel) {
    ExpectedMessage.requireHeldBy(x, channel);
    ReplicatedSharing.requireSameParty(x, y, "multiply");
    ReplicatedSharing.requireSameLength(x, y, "multiply");
    int n = x.length();
    // x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i + alpha_i, fused with drawing alpha_i (see CorrelatedRandomness).
    long[] z = randomness.nextStep().maskedCrossProducts(x.first(), x.second(), y.first(), y.second(), n);
    channel.sendToPrevious(z);
    long[] fromNext = ExpectedMessage.ofLength(channel.receiveFromNext(), n, channel, channel.self().next(), "a multiplication");
    return new ShareVector(channel.self(), z, fromNext);
  }

  /** The inner product Σ_j x_j·y_j as a shared vector of length 1, exact in Z_2^64. */
  public static ShareVector innerProduct(ShareVector x, ShareVector y, CorrelatedRandomness randomness, PartyChannel channel) {
    ExpectedMessage.requireHeldBy(x, channel);
    ReplicatedSharing.requireSameParty(x, y, "take the inner product of");
    ReplicatedSharing.requireSameLength(x, y, "take the inner product of");
    long[] z = randomness.nextStep().zeroShare(1);
    long[] x0 = x.first();
    long[] x1 = x.second();
    long[] y0 = y.first();
    long[] y1 = y.second();
    long acc = 0;
    for (int j = 0; j < x0.length; j++) acc += x0[j] * y0[j] + x0[j] * y1[j] + x1[j] * y0[j];
    z[0] += acc;
    channel.sendToPrevious(z);
    long[] fromNext = ExpectedMessage.ofLength(channel.receiveFromNext(), 1, channel, channel.self().next(), "an inner product");
    return new ShareVector(channel.self(), z, fromNext);
  }
}
