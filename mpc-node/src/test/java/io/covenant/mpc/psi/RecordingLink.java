package io.covenant.mpc.psi;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.List;

/** A party's link that keeps a copy of every frame it receives: the party's transcript. */
final class RecordingLink implements PeerLink {
  private final PeerLink inner;
  final List<byte[]> received = new ArrayList<>();

  RecordingLink(PeerLink inner) {
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
  }

  @Override
  public byte[] receive() {
    byte[] f = inner.receive();
    received.add(f.clone());
    return f;
  }

  @Override
  public void close() {
    inner.close();
  }
}
