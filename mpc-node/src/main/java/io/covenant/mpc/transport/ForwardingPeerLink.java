package io.covenant.mpc.transport;

import io.covenant.core.id.OrgId;

/**
 * A peer link that passes everything to another one: the one base for links that watch or change traffic on the way
 * (counting bytes, and in tests recording a transcript, tampering, failing). Subclasses override what they change.
 */
public abstract class ForwardingPeerLink implements PeerLink {
  protected final PeerLink delegate;

  protected ForwardingPeerLink(PeerLink delegate) {
    this.delegate = delegate;
  }

  @Override
  public OrgId self() {
    return delegate.self();
  }

  @Override
  public OrgId peer() {
    return delegate.peer();
  }

  @Override
  public void send(byte[] frame) {
    delegate.send(frame);
  }

  @Override
  public byte[] receive() {
    return delegate.receive();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
