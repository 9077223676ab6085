package io.covenant.mpc.sharing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;

/**
 * A party secret-shares its own input vector v with the other two. With the pairwise keys of
 * {@link CorrelatedRandomness}, owner o sets x_o = F(k_o), x_{o+1} = F(k_{o+1}) and x_{o+2} = v - x_o - x_{o+1}, and sends
 * x_{o+2} to both neighbours; each neighbour computes the other share it needs from the key it shares with the owner.
 * Each neighbour then misses one PRF output, which masks v (the PRF-based input sharing of ABY3, Mohassel and Rindal,
 * CCS 2018, §5.1).
 *
 * <p>Cost: one round; the owner sends n words to each neighbour. The vector's length is public: non-owners learn it
 * from the message.
 */
public final class OwnerInput {
  private OwnerInput() {}

  /** Run by the owner of {@code values}. */
  public static ShareVector share(long[] values, CorrelatedRandomness randomness, PartyChannel channel) {
    CorrelatedRandomness.Step step = randomness.nextStep();
    int n = values.length;
    long[] own = step.sharedWithPrevious(n);
    long[] withNext = step.sharedWithNext(n);
    long[] last = new long[n];
    for (int j = 0; j < n; j++) last[j] = values[j] - own[j] - withNext[j];
    channel.sendToNext(last);
    channel.sendToPrevious(last);
    return new ShareVector(channel.self(), own, withNext);
  }

  /** Run by the two parties that do not own the input, at the same point of the program as the owner's {@link #share}. */
  public static ShareVector receive(Party owner, CorrelatedRandomness randomness, PartyChannel channel) {
    Party self = channel.self();
    if (owner.equals(self)) {
      throw new MalformedInputException(self + " owns this input: it must call share with its values, not receive");
    }
    CorrelatedRandomness.Step step = randomness.nextStep();
    if (owner.equals(self.previous())) {
      // self = o+1 holds (x_{o+1}, x_{o+2}); x_{o+1} comes from k_{o+1}, which is this party's own key.
      long[] last = channel.receiveFromPrevious();
      return new ShareVector(self, step.sharedWithPrevious(last.length), last);
    }
    // self = o+2 = o-1 holds (x_{o+2}, x_o); x_o comes from k_o, which this party shares with its next party, the owner.
    long[] last = channel.receiveFromNext();
    return new ShareVector(self, last, step.sharedWithNext(last.length));
  }
}
