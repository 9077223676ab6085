package io.covenant.mpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A metered channel counts its own party's messages and bytes, passes messages through unchanged, and counts nothing received. */
class MeteredChannelCountsWhatItsPartySends {
  @Test
  void countsMessagesAndBytesSentOnly() {
    List<PartyChannel> plain = InProcessNetwork.connect(Committee.of(OrgId.of("a"), OrgId.of("b"), OrgId.of("c")), Duration.ofSeconds(5));
    MeteredChannel p0 = new MeteredChannel(plain.get(0));
    MeteredChannel p1 = new MeteredChannel(plain.get(1));
    p0.sendToNext(new long[] {1, 2, 3});
    p0.sendToPrevious(new long[] {4});
    assertArrayEquals(new long[] {1, 2, 3}, p1.receiveFromPrevious());
    assertEquals(2, p0.messagesSent());
    assertEquals(4 * Long.BYTES, p0.bytesSent());
    assertEquals(0, p1.messagesSent());
    assertEquals(0, p1.bytesSent());
    p0.close();
    p1.close();
    plain.get(2).close();
  }
}
