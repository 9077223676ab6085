package io.covenant.mpc.engine;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.BeaverFreeMultiplication;
import io.covenant.mpc.sharing.CorrelatedRandomness;
import io.covenant.mpc.sharing.Opening;
import io.covenant.mpc.sharing.OwnerInput;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareTruncation;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import java.util.Optional;

/**
 * One party's handle on a running three-party computation: semi-honest, honest majority (no two parties collude),
 * over 2-out-of-3 replicated shares in Z_2^64. Every operation is vectorised; those that talk to other parties cost
 * one round each and are listed with their communication in the protocol classes they call.
 *
 * <p>Values are either ring integers (exact mod 2^64) or fixed-point reals in this session's {@link FixedPoint}
 * encoding; the {@code FixedPoint} variants handle the rescaling a product needs. Not thread-safe: one party, one thread.
 */
public final class PartySession {
  private final PartyChannel channel;
  private final CorrelatedRandomness randomness;
  private final FixedPoint fixedPoint;

  private PartySession(PartyChannel channel, CorrelatedRandomness randomness, FixedPoint fixedPoint) {
    this.channel = channel;
    this.randomness = randomness;
    this.fixedPoint = fixedPoint;
  }

  /** Sets up the pairwise PRF keys with the two neighbours (one round). All three parties call this together. */
  public static PartySession start(PartyChannel channel, FixedPoint fixedPoint) {
    return new PartySession(channel, CorrelatedRandomness.establish(channel), fixedPoint);
  }

  public Party self() {
    return channel.self();
  }

  public Committee committee() {
    return channel.committee();
  }

  public FixedPoint fixedPoint() {
    return fixedPoint;
  }

  /** This party's links, for protocol steps built on the session ({@code io.covenant.mpc.protocol}). */
  public PartyChannel channel() {
    return channel;
  }

  /**
   * The pairwise PRF keys, for protocol steps built on the session. Every party must start the same steps in the same
   * order (see {@link CorrelatedRandomness#nextStep()}); the keys themselves cannot be read from it.
   */
  public CorrelatedRandomness randomness() {
    return randomness;
  }

  /**
   * Secret-shares {@code owner}'s vector. At the owner, {@code valuesIfOwner} are its values; the other parties may pass
   * null (whatever they pass is ignored) and learn only the length.
   */
  public ShareVector input(Party owner, long[] valuesIfOwner) {
    if (!owner.equals(self())) return OwnerInput.receive(owner, randomness, channel);
    if (valuesIfOwner == null) {
      throw new MalformedInputException(committee().describe(self()) + " owns this input but supplied no values");
    }
    return OwnerInput.share(valuesIfOwner, randomness, channel);
  }

  /** As {@link #input}, for real values in this session's fixed-point encoding. */
  public ShareVector inputFixedPoint(Party owner, double[] valuesIfOwner) {
    return input(owner, owner.equals(self()) && valuesIfOwner != null ? fixedPoint.encode(valuesIfOwner) : null);
  }

  public ShareVector add(ShareVector a, ShareVector b) {
    return ReplicatedSharing.add(a, b);
  }

  public ShareVector subtract(ShareVector a, ShareVector b) {
    return ReplicatedSharing.subtract(a, b);
  }

  public ShareVector addPublic(ShareVector a, long[] constants) {
    return ReplicatedSharing.addPublic(a, constants);
  }

  public ShareVector multiplyPublic(ShareVector a, long constant) {
    return ReplicatedSharing.multiplyPublic(a, constant);
  }

  /** a · c for a public real c, rescaled: one truncation round. */
  public ShareVector multiplyPublicFixedPoint(ShareVector a, double constant) {
    return truncate(ReplicatedSharing.multiplyPublic(a, fixedPoint.encode(constant)), fixedPoint.fractionalBits());
  }

  /** Sum of all elements, as a vector of length 1. Local. */
  public ShareVector sum(ShareVector a) {
    return ReplicatedSharing.sum(a);
  }

  /** Element-wise product in Z_2^64 (one round, n words sent per party). */
  public ShareVector multiply(ShareVector a, ShareVector b) {
    return BeaverFreeMultiplication.multiply(a, b, randomness, channel);
  }

  /** Element-wise product of fixed-point vectors (two rounds: multiply, then truncate by f bits). */
  public ShareVector multiplyFixedPoint(ShareVector a, ShareVector b) {
    return truncate(multiply(a, b), fixedPoint.fractionalBits());
  }

  /** Σ a_j·b_j in Z_2^64, as a vector of length 1 (one round, one word sent per party). */
  public ShareVector innerProduct(ShareVector a, ShareVector b) {
    return BeaverFreeMultiplication.innerProduct(a, b, randomness, channel);
  }

  /** Σ a_j·b_j of fixed-point vectors, truncated once after summing. */
  public ShareVector innerProductFixedPoint(ShareVector a, ShareVector b) {
    return truncate(innerProduct(a, b), fixedPoint.fractionalBits());
  }

  /** Probabilistic truncation by {@code bits} bits (ABY3 Π_trunc1); see {@link ShareTruncation} for the error bound. */
  public ShareVector truncate(ShareVector a, int bits) {
    return ShareTruncation.truncate(a, bits, randomness, channel);
  }

  /** Opens {@code a} to {@code recipient} only; the other parties get an empty result. */
  public Optional<long[]> revealTo(ShareVector a, Party recipient) {
    return Opening.revealTo(a, recipient, channel);
  }

  public Optional<double[]> revealFixedPointTo(ShareVector a, Party recipient) {
    return revealTo(a, recipient).map(fixedPoint::decode);
  }

  public long[] revealToAll(ShareVector a) {
    return Opening.revealToAll(a, channel);
  }

  @Override
  public String toString() {
    return "PartySession[" + committee().describe(self()) + "]";
  }
}
