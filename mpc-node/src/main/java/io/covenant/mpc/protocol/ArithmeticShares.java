package io.covenant.mpc.protocol;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import java.util.Arrays;
import java.util.List;

/** Local reshaping of arithmetic share vectors (concatenation, slices, public constants) and checked receives. */
final class ArithmeticShares {
  private ArithmeticShares() {}

  /** A sharing of public values: they sit in slot 0 (party 0's first share, party 2's second), the rest is zero. */
  static ShareVector ofPublic(Party self, long[] values) {
    int n = values.length;
    return ReplicatedSharing.addPublic(ShareVector.of(self, new long[n], new long[n]), values);
  }

  static ShareVector ofPublic(Party self, long value, int n) {
    long[] v = new long[n];
    Arrays.fill(v, value);
    return ofPublic(self, v);
  }

  static ShareVector concat(List<ShareVector> parts) {
    return ShareVector.concat(parts);
  }

  static ShareVector slice(ShareVector v, int from, int to) {
    return v.slice(from, to);
  }

  static ShareVector oneMinus(ShareVector bits) {
    return ReplicatedSharing.addPublic(ReplicatedSharing.negate(bits), filled(bits.length(), 1L));
  }

  static long[] filled(int n, long value) {
    long[] v = new long[n];
    Arrays.fill(v, value);
    return v;
  }

  static long[] receiveFromNext(PartySession session, int expected, String step) {
    PartyChannel channel = session.channel();
    return checked(channel.receiveFromNext(), expected, channel, channel.self().next(), step);
  }

  private static long[] checked(long[] words, int expected, PartyChannel channel, Party from, String step) {
    if (words.length != expected) {
      throw new MalformedInputException(channel.committee().describe(from) + " sent " + words.length + " words in " + step + " where "
          + channel.committee().describe(channel.self()) + " expected " + expected
          + ": the parties are not running the same program on inputs of the same lengths");
    }
    return words;
  }

  static void requireHeldBy(ShareVector x, PartySession session) {
    if (!x.holder().equals(session.self())) {
      throw new MalformedInputException("shares held by " + x.holder() + " were given to " + session.self()
          + ": each party runs the protocol on its own shares");
    }
  }
}
