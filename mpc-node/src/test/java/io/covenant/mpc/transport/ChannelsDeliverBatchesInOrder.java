package io.covenant.mpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChannelsDeliverBatchesInOrder {
  private static final int[] SIZES = {0, 1, 3, 70_000, 2, 1 << 20};

  private static long[] message(Party from, boolean toNext, int seq, int size) {
    return new SplittableRandom(from.index() * 1000L + (toNext ? 500 : 0) + seq).longs(size).toArray();
  }

  @ParameterizedTest
  @EnumSource(Networks.Kind.class)
  void everyPartySendsBothWaysBeforeReceivingAndGetsEveryMessageIntact(Networks.Kind kind) {
    List<PartyChannel> channels = Networks.connect(kind, Duration.ofSeconds(20));
    try {
      List<CompletableFuture<Void>> parties = new ArrayList<>();
      for (PartyChannel c : channels) {
        parties.add(Networks.async(() -> {
          Party self = c.self();
          for (int seq = 0; seq < SIZES.length; seq++) {
            long[] toNext = message(self, true, seq, SIZES[seq]);
            long[] toPrevious = message(self, false, seq, SIZES[seq]);
            c.sendToNext(toNext);
            c.sendToPrevious(toPrevious);
            // The channel took a snapshot: changing the array now must not change what the peer receives.
            if (toNext.length > 0) toNext[0]++;
          }
          for (int seq = 0; seq < SIZES.length; seq++) {
            assertArrayEquals(message(self.previous(), true, seq, SIZES[seq]), c.receiveFromPrevious());
            assertArrayEquals(message(self.next(), false, seq, SIZES[seq]), c.receiveFromNext());
          }
        }));
      }
      parties.forEach(CompletableFuture::join);
      assertEquals(List.of(Party.P0, Party.P1, Party.P2), channels.stream().map(PartyChannel::self).toList());
    } finally {
      channels.forEach(PartyChannel::close);
    }
  }
}
