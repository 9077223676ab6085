package io.covenant.mpc.sharing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;

/** A received vector must have the length the protocol step expects; otherwise the parties are out of step. */
final class ExpectedMessage {
  private ExpectedMessage() {}

  static long[] ofLength(long[] words, int expected, PartyChannel channel, Party from, String step) {
    if (words.length != expected) {
      throw new MalformedInputException(channel.committee().describe(from) + " sent " + words.length + " words in " + step + " where "
          + channel.committee().describe(channel.self()) + " expected " + expected
          + ": the parties are not running the same program on inputs of the same lengths");
    }
    return words;
  }

  static void requireHeldBy(ShareVector x, PartyChannel channel) {
    if (!x.holder().equals(channel.self())) {
      throw new MalformedInputException("shares held by " + x.holder() + " were given to " + channel.self()
          + "'s protocol step: each party computes only on its own shares");
    }
  }
}
