package io.covenant.mpc.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The writer thread of one connection: encoded frames are queued and written in order by a thread of their own, so a
 * send never waits for the peer and every party may send before it receives. It flushes when the queue runs empty.
 * Shared by the ring's {@link TcpPartyChannel} and {@link TlsPeerLinks}.
 */
final class FrameWriter {
  // Identity-compared marker; a queued frame is always a fresh array, so it can never be this one.
  private static final byte[] STOP = new byte[0];

  private final BlockingQueue<byte[]> outbox = new LinkedBlockingQueue<>();
  private final OutputStream out;
  private final Thread thread;
  private volatile IOException failure;

  FrameWriter(OutputStream out, String threadName) {
    this.out = out;
    this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::drain);
  }

  private void drain() {
    try {
      while (true) {
        byte[] frame = outbox.take();
        if (frame == STOP) break;
        out.write(frame);
        if (outbox.isEmpty()) out.flush();
      }
      out.flush();
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why an earlier write failed, or null if none has. */
  IOException failure() {
    return failure;
  }

  /** Queues an encoded frame (the caller keeps no reference to it). */
  void enqueue(byte[] encoded) {
    outbox.add(encoded);
  }

  /**
   * Lets the writer flush what is queued for at most {@code wait} (at least 1 ms), then returns whether it is still
   * blocked in a write: the peer stopped reading, and only closing the socket under it frees it.
   */
  boolean finish(Duration wait) {
    outbox.add(STOP);
    try {
      thread.join(wait.isZero() || wait.isNegative() ? Duration.ofMillis(1) : wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return thread.isAlive();
  }

  /** Wakes a writer still waiting, once its socket is closed. */
  void interrupt() {
    thread.interrupt();
  }
}
