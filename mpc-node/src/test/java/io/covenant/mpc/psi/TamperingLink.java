package io.covenant.mpc.psi;

import io.covenant.mpc.transport.ForwardingPeerLink;
import io.covenant.mpc.transport.PeerLink;
import java.util.function.BiFunction;

/**
 * A party's link through which a faulty node speaks: frame number i (counted from 0) is replaced by
 * {@code tamper.apply(i, frame)}; a null result makes the node die there (its link closes, as when its process stops).
 */
final class TamperingLink extends ForwardingPeerLink {
  private final BiFunction<Integer, byte[], byte[]> tamper;
  private int sent;

  TamperingLink(PeerLink inner, BiFunction<Integer, byte[], byte[]> tamper) {
    super(inner);
    this.tamper = tamper;
  }

  @Override
  public void send(byte[] frame) {
    byte[] out = tamper.apply(sent++, frame);
    if (out == null) {
      delegate.close();
      throw new IllegalStateException("this node died (a test's fault injection)");
    }
    delegate.send(out);
  }
}
