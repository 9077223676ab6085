package io.covenant.mpc.transport;

import java.util.concurrent.atomic.AtomicLong;

/** A peer link that counts the bytes of the frames it carries (payloads, less the transport's own framing), for run statistics and benchmarks. */
public final class MeteredPeerLink extends ForwardingPeerLink {
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();

  public MeteredPeerLink(PeerLink delegate) {
    super(delegate);
  }

  @Override
  public void send(byte[] frame) {
    delegate.send(frame);
    sent.addAndGet(frame.length);
  }

  @Override
  public byte[] receive() {
    byte[] f = delegate.receive();
    received.addAndGet(f.length);
    return f;
  }

  public long bytesSent() {
    return sent.get();
  }

  public long bytesReceived() {
    return received.get();
  }
}
