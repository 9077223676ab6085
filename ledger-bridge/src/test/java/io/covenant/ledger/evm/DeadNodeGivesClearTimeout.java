package io.covenant.ledger.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.crypto.SigningKey;
import io.covenant.ledger.LedgerStorageException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node that is not running, or that accepts connections and never answers, fails with its URL and what to check. */
class DeadNodeGivesClearTimeout {
  private static final EvmAddress SOME_CONTRACT = EvmAddress.parse("0x" + "12".repeat(20));

  @Test
  void nothingListening() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    var e = assertThrows(LedgerStorageException.class,
        () -> EvmLedger.open(EvmEndpoint.of(url).withTimeout(Duration.ofSeconds(1)), SOME_CONTRACT, SigningKey.generate(), Map.of()));
    assertEquals("EVM node at " + url + " did not answer eth_blockNumber within 1 s: is it running?", e.getMessage().substring(0, e.getMessage().indexOf(" (last error")));
  }

  @Test
  void listeningButSilent() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> held = new ArrayList<>();
    try {
      Thread acceptor = Thread.ofVirtual().start(() -> {
        try {
          while (true) held.add(silent.accept()); // accepts, reads nothing, answers nothing
        } catch (Exception done) {
          // the server socket closed
        }
      });
      String url = "http://127.0.0.1:" + silent.getLocalPort();
      var e = assertThrows(LedgerStorageException.class,
          () -> EvmLedger.open(EvmEndpoint.of(url).withTimeout(Duration.ofMillis(1500)), SOME_CONTRACT, SigningKey.generate(), Map.of()));
      assertEquals("EVM node at " + url + " did not answer eth_blockNumber within 1500 ms: is it running?",
          e.getMessage().substring(0, e.getMessage().indexOf(" (last error")));
      silent.close();
      acceptor.join();
    } finally {
      silent.close();
      for (Socket s : held) s.close();
    }
  }
}
