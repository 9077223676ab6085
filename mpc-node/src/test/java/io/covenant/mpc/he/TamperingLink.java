package io.covenant.mpc.he;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;

/** A link that flips one bit deep inside the n-th frame it sends (counting from 0): a tamperer on the wire. */
final class TamperingLink implements PeerLink {
  private final PeerLink inner;
  private final int frameToTamper;
  private int sent;

  TamperingLink(PeerLink inner, int frameToTamper) {
    this.inner = inner;
    this.frameToTamper = frameToTamper;
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
    byte[] f = frame.clone();
    if (sent++ == frameToTamper) f[f.length - 100] ^= 0x04; // inside the ciphertext's coefficients, past SEAL's header
    inner.send(f);
  }

  @Override
  public byte[] receive() {
    return inner.receive();
  }

  @Override
  public void close() {
    inner.close();
  }
}
