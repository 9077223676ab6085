package io.covenant.mpc.he;

import io.covenant.mpc.transport.ForwardingPeerLink;
import io.covenant.mpc.transport.PeerLink;

/** A link that flips one bit deep inside the n-th frame it sends (counting from 0): a tamperer on the wire. */
final class TamperingLink extends ForwardingPeerLink {
  private final int frameToTamper;
  private int sent;

  TamperingLink(PeerLink inner, int frameToTamper) {
    super(inner);
    this.frameToTamper = frameToTamper;
  }

  @Override
  public void send(byte[] frame) {
    byte[] f = frame.clone();
    if (sent++ == frameToTamper) f[f.length - 100] ^= 0x04; // inside the ciphertext's coefficients, past SEAL's header
    delegate.send(f);
  }
}
