package io.covenant.mpc.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A party channel that counts what its party sends: messages and 64-bit words. Used to report a computation's
 * communication (bytes sent, and messages, which bound its rounds from below for the busiest party). Counts only;
 * never looks at the words.
 */
public final class MeteredChannel implements PartyChannel {
  private final PartyChannel inner;
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong words = new AtomicLong();

  public MeteredChannel(PartyChannel inner) {
    this.inner = inner;
  }

  /** Messages sent so far, to either neighbour. */
  public long messagesSent() {
    return messages.get();
  }

  /** Bytes of ring elements sent so far (8 per word; framing not included). */
  public long bytesSent() {
    return words.get() * Long.BYTES;
  }

  @Override
  public Party self() {
    return inner.self();
  }

  @Override
  public Committee committee() {
    return inner.committee();
  }

  @Override
  public void sendToNext(long[] message) {
    messages.incrementAndGet();
    words.addAndGet(message.length);
    inner.sendToNext(message);
  }

  @Override
  public void sendToPrevious(long[] message) {
    messages.incrementAndGet();
    words.addAndGet(message.length);
    inner.sendToPrevious(message);
  }

  @Override
  public long[] receiveFromNext() {
    return inner.receiveFromNext();
  }

  @Override
  public long[] receiveFromPrevious() {
    return inner.receiveFromPrevious();
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public String toString() {
    return "Metered" + inner;
  }
}
