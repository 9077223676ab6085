package io.covenant.mpc.transport;

import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * TLS 1.3 with mutual authentication (RFC 8446 §4.3.2, §4.4.2) layered over an already connected TCP socket, for both
 * transports between organisations' nodes. The TCP socket is kept beside the TLS one: closing it is the one way to
 * stop a writer that is blocked because the peer stopped reading, which closing the TLS socket (it first tries to send
 * close_notify under the same write lock) cannot guarantee.
 *
 * <p>Which organisation is at the other end comes from its consortium certificate ({@link MutualTls#peerOf}), never
 * from an address: the caller compares it with the organisation the job puts there before anything else is sent.
 */
record TlsSockets(Socket raw, SSLSocket tls, OrgId peer) {
  /**
   * The least time a handshake gets, whatever the peer timeout: the first handshakes of a JVM (key agreement, Ed25519
   * signatures, certificate parsing, all before the JIT) take hundreds of milliseconds on a loaded 2-core machine, and
   * a short peer timeout is about silence during the computation, not about setting up.
   */
  static final Duration MIN_HANDSHAKE_TIME = Duration.ofSeconds(5);

  /**
   * Runs the TLS handshake on {@code raw}, as the client when {@code client} is true (the side that dialled), waiting
   * at most {@code timeout} (but at least {@link #MIN_HANDSHAKE_TIME}); returns the TLS socket, with {@code timeout} as
   * its read timeout again, and the organisation its certificate names.
   *
   * @throws IOException the handshake failed: a certificate from another consortium, a revoked or expired one, no
   *     certificate, or not TLS at all; {@code raw} is closed
   */
  static TlsSockets handshake(MutualTls identity, Socket raw, boolean client, Duration timeout) throws IOException {
    try {
      Duration handshakeTime = timeout.compareTo(MIN_HANDSHAKE_TIME) < 0 ? MIN_HANDSHAKE_TIME : timeout;
      raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, handshakeTime.toMillis()));
      InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
      SSLSocket s = (SSLSocket) identity.context().getSocketFactory()
          .createSocket(raw, remote.getHostString(), remote.getPort(), true);
      s.setUseClientMode(client);
      s.setSSLParameters(identity.parameters(!client));
      s.startHandshake();
      OrgId peer = MutualTls.peerOf(s.getSession());
      raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
      return new TlsSockets(raw, s, peer);
    } catch (IOException | RuntimeException e) {
      closeQuietly(raw);
      throw e;
    }
  }

  /**
   * Sends close_notify if no writer is blocked, and in any case closes the TCP socket. It never waits for the peer's
   * close_notify, which {@code SSLSocket.close()} may do in TLS 1.3 for as long as the read timeout.
   */
  void close(boolean writerStuck) {
    closeTls(tls, raw, writerStuck);
  }

  /** See {@link #close(boolean)}; for a TLS socket {@code tls} layered on {@code raw}. */
  static void closeTls(Socket tls, Socket raw, boolean writerStuck) {
    if (!writerStuck && tls != raw) {
      try {
        tls.shutdownOutput();
      } catch (IOException | UnsupportedOperationException ignored) {
        // The raw socket is closed below either way.
      }
    }
    closeQuietly(raw);
  }

  static void closeQuietly(Socket s) {
    if (s == null) return;
    try {
      s.close();
    } catch (IOException ignored) {
      // Already broken; the caller reports the original failure.
    }
  }
}
