package io.covenant.mpc.fl.secagg;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test links: one that closes itself after its n-th frame (a hospital that crashes), one that records what it receives. */
public final class LinksThatFail {
  private LinksThatFail() {}

  /** Sends its first {@code frames} frames, then closes: the peer sees this party leave right after the last of them. */
  public static PeerLink closingAfter(PeerLink inner, int frames) {
    return new PeerLink() {
      private int sent;

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
        if (++sent == frames) inner.close();
      }

      @Override
      public byte[] receive() {
        return inner.receive();
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  /** A link that keeps a copy of every frame it receives: what that side of the link saw. */
  public static final class Recording implements PeerLink {
    private final PeerLink inner;
    private final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());

    public Recording(PeerLink inner) {
      this.inner = inner;
    }

    public List<byte[]> received() {
      return List.copyOf(received);
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
}
