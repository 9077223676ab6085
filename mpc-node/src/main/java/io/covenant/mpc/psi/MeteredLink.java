package io.covenant.mpc.psi;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;
import java.util.concurrent.atomic.AtomicLong;

/** A peer link that counts the bytes of the frames it carries, for the statistics of a run and the benchmark. */
final class MeteredLink implements PeerLink {
  private final PeerLink inner;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  MeteredLink(PeerLink inner) {
    this.inner = inner;
  }

  @Override
  public OrgId self() {
    return inner.self();
  }

  @Override
  public OrgId peer() {
    return inner.peer();
  }

  @Override
  public void send(byte[] frame) {
    inner.send(frame);
    sent.addAndGet(frame.length);
  }

  @Override
  public byte[] receive() {
    byte[] f = inner.receive();
    received.addAndGet(f.length);
    return f;
  }

  long bytesSent() {
    return sent.get();
  }

  long bytesReceived() {
    return received.get();
  }

  /** Does not close the wrapped link: the caller that opened it owns it. */
  @Override
  public void close() {}
}
