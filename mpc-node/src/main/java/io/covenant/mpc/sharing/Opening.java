package io.covenant.mpc.sharing;

import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import java.util.Optional;

/**
 * Opening a shared vector (ABY3, Mohassel and Rindal, CCS 2018, §2.2, semi-honest reveal). Party t holds
 * (x_t, x_{t+1}) and misses only x_{t+2}, which party t+1 holds as its second share.
 *
 * <p>Cost: one round. {@link #revealTo}: party t+1 sends n words to t. {@link #revealToAll}: every party sends its
 * first share, n words, to its next party.
 */
public final class Opening {
  private Opening() {}

  /** The recipient gets the values; the other two parties get an empty result and learn nothing. */
  public static Optional<long[]> revealTo(ShareVector x, Party recipient, PartyChannel channel) {
    ExpectedMessage.requireHeldBy(x, channel);
    Party self = channel.self();
    if (self.equals(recipient.next())) {
      channel.sendToPrevious(x.second());
      return Optional.empty();
    }
    if (!self.equals(recipient)) return Optional.empty();
    long[] missing = ExpectedMessage.ofLength(channel.receiveFromNext(), x.length(), channel, self.next(), "an opening");
    return Optional.of(sum(x.first(), x.second(), missing));
  }

  public static long[] revealToAll(ShareVector x, PartyChannel channel) {
    ExpectedMessage.requireHeldBy(x, channel);
    channel.sendToNext(x.first());
    long[] missing = ExpectedMessage.ofLength(channel.receiveFromPrevious(), x.length(), channel, channel.self().previous(), "an opening");
    return sum(x.first(), x.second(), missing);
  }

  private static long[] sum(long[] a, long[] b, long[] c) {
    long[] out = new long[a.length];
    for (int j = 0; j < out.length; j++) out[j] = a[j] + b[j] + c[j];
    return out;
  }
}
