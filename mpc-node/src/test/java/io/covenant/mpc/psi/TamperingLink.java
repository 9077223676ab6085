package io.covenant.mpc.psi;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;
import java.util.function.BiFunction;

/**
 * A party's link through which a faulty node speaks: frame number i (counted from 0) is replaced by
 * {@code tamper.apply(i, frame)}; a null result makes the node die there (its link closes, as when its process stops).
 */
final class TamperingLink implements PeerLink {
  private final PeerLink inner;
  private final BiFunction<Integer, byte[], byte[]> tamper;
  private int sent;

  TamperingLink(PeerLink inner, BiFunction<Integer, byte[], byte[]> tamper) {
    this.inner = inner;
    this.tamper = tamper;
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
    byte[] out = tamper.apply(sent++, frame);
    if (out == null) {
      inner.close();
      throw new IllegalStateException("this node died (a test's fault injection)");
    }
    inner.send(out);
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
