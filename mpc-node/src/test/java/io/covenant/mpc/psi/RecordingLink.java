package io.covenant.mpc.psi;

import io.covenant.mpc.transport.ForwardingPeerLink;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.List;

/** A party's link that keeps a copy of every frame it receives: the party's transcript. */
final class RecordingLink extends ForwardingPeerLink {
  final List<byte[]> received = new ArrayList<>();

  RecordingLink(PeerLink inner) {
    super(inner);
  }

  @Override
  public byte[] receive() {
    byte[] f = delegate.receive();
    received.add(f.clone());
    return f;
  }
}
