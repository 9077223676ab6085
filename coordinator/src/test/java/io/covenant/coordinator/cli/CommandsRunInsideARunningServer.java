package io.covenant.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.id.OrgId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher relies on when it forwards a command to a running {@code serve} over its Unix-domain socket. */
class CommandsRunInsideARunningServer {
  @TempDir Path dir;
  private LocalDeployment served;
  private CliDaemon daemon;

  @BeforeEach
  void serve() {
    served = LocalDeployment.open(dir);
    served.createOrganisation(OrgId.of("hospital-a"), "Hospital A", java.util.Set.of(io.covenant.coordinator.identity.OrgRole.OWNER));
    DataDirOption option = new DataDirOption();
    option.dataDir = dir;
    option.blockstore = "local";
    option.ledger = "embedded";
    daemon = CliDaemon.start(option, served).orElseThrow();
  }

  @AfterEach
  void stop() {
    daemon.close();
    served.close();
  }

  @Test
  void aForwardedCommandUsesTheServersOpenLedgerAndLeavesItOpen() throws IOException {
    // A second JVM-style open is refused while the server holds the ledger: forwarding is what makes the CLI usable.
    assertThrows(RuntimeException.class, () -> LocalDeployment.open(dir).close());

    Response r = send(cwd(), "job", "list", "--data-dir", dir.toString());
    assertEquals(200, r.status());
    assertEquals("0", r.headers().get("x-covenant-exit"));
    assertTrue(r.stdout().contains("no jobs yet"), r.stdout());

    // The command closed its deployment handle; the server's stays open and keeps appending.
    served.createOrganisation(OrgId.of("insurer-x"), "Insurer X", java.util.Set.of(io.covenant.coordinator.identity.OrgRole.CONSUMER));
    assertTrue(served.ledger().organisation(OrgId.of("insurer-x")).isPresent());
  }

  @Test
  void errorsComeBackOnStandardErrorWithTheExitStatus() throws IOException {
    Response r = send(cwd(), "job", "show", "not-a-job", "--data-dir", dir.toString());
    assertEquals(200, r.status());
    assertEquals("1", r.headers().get("x-covenant-exit"));
    assertTrue(r.stderr().contains("job id 'not-a-job' is not valid"), r.stderr());
    assertEquals("", r.stdout());
  }

  @Test
  void aCallerInAnotherDirectoryIsSentBackToRunTheCommandItself() throws IOException {
    // Relative paths in its arguments would name other files inside the server.
    Response r = send(dir.toString(), "dataset", "list", "--data-dir", dir.toString());
    assertEquals(409, r.status());
    assertTrue(r.stderr().contains("the server runs in"), r.stderr());
  }

  @Test
  void aMalformedRequestIsRefusedAndTheDaemonKeepsAnswering() throws IOException {
    byte[] unterminated = "job\0list".getBytes(StandardCharsets.UTF_8);
    Response bad = exchange(request(cwd(), unterminated));
    assertEquals(400, bad.status());
    assertTrue(bad.stderr().contains("not ended by a NUL byte"), bad.stderr());
    assertEquals(200, send(cwd(), "job", "list", "--data-dir", dir.toString()).status());
  }

  @Test
  void theSocketIsTheOwnersAloneAndGoesAwayWithTheServer() throws IOException {
    Path socket = dir.resolve(CliDaemon.SOCKET_NAME);
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(socket));
    daemon.close();
    assertFalse(Files.exists(socket));
    // Without a server, commands open the data directory themselves.
    assertTrue(CliDaemon.servedDeployment(optionFor(dir)).isEmpty());
  }

  @Test
  void aCommandForAnotherDataDirectoryOpensItsOwn(@TempDir Path other) {
    assertTrue(CliDaemon.servedDeployment(optionFor(other)).isEmpty());
    DataDirOption differentStore = optionFor(dir);
    differentStore.blockstore = "replicated=local,local";
    assertTrue(CliDaemon.servedDeployment(differentStore).isEmpty());
    assertTrue(CliDaemon.servedDeployment(optionFor(dir)).isPresent());
  }

  private static DataDirOption optionFor(Path d) {
    DataDirOption o = new DataDirOption();
    o.dataDir = d;
    o.blockstore = "local";
    o.ledger = "embedded";
    return o;
  }

  private static String cwd() {
    return Path.of("").toAbsolutePath().toString();
  }

  private Response send(String cwd, String... args) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String a : args) {
      body.writeBytes(a.getBytes(StandardCharsets.UTF_8));
      body.write(0);
    }
    return exchange(request(cwd, body.toByteArray()));
  }

  private static byte[] request(String cwd, byte[] body) {
    String head = "POST /cli HTTP/1.1\r\nHost: covenant\r\nX-Covenant-Cwd: " + cwd + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    all.writeBytes(body);
    return all.toByteArray();
  }

  private Response exchange(byte[] request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(dir.resolve(CliDaemon.SOCKET_NAME)));
      ch.write(ByteBuffer.wrap(request));
      byte[] raw = Channels.newInputStream(ch).readAllBytes();
      String text = new String(raw, StandardCharsets.ISO_8859_1); // one char per byte, so offsets are byte offsets
      int split = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, split).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, c).trim().toLowerCase(), lines[i].substring(c + 1).trim());
      }
      int body = split + 4;
      int stdoutLength = Integer.parseInt(headers.get("x-covenant-stdout-length"));
      return new Response(status, headers, new String(raw, body, stdoutLength, StandardCharsets.UTF_8),
          new String(raw, body + stdoutLength, raw.length - body - stdoutLength, StandardCharsets.UTF_8));
    }
  }

  private record Response(int status, Map<String, String> headers, String stdout, String stderr) {}
}
