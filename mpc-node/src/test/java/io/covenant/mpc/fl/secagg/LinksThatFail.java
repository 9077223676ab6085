package io.covenant.mpc.fl.secagg;

import io.covenant.mpc.transport.ForwardingPeerLink;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test links: one that closes itself after its n-th frame (a hospital that crashes), one that records what it receives. */
public final class LinksThatFail {
  private LinksThatFail() {}

  /** Sends its first {@code frames} frames, then closes: the peer sees this party leave right after the last of them. */
  public static PeerLink closingAfter(PeerLink inner, int frames) {
    return new ForwardingPeerLink(inner) {
      private int sent;

      @Override
      public void send(byte[] frame) {
        delegate.send(frame);
        if (++sent == frames) delegate.close();
      }
    };
  }

  /** A link that keeps a copy of every frame it receives: what that side of the link saw. */
  public static final class Recording extends ForwardingPeerLink {
    private final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());

    public Recording(PeerLink inner) {
      super(inner);
    }

    public List<byte[]> received() {
      return List.copyOf(received);
    }

    @Override
    public byte[] receive() {
      byte[] f = delegate.receive();
      received.add(f.clone());
      return f;
    }
  }
}
