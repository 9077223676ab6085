package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a running {@code ./covenant serve} answer CLI commands for its data directory, so a command costs a round trip
 * over a Unix-domain socket instead of a new JVM (1 s and more) and works while the server holds the ledger open.
 *
 * <p>The socket is {@code <data-dir>/cli.sock}, readable and writable by its owner only: whoever can reach it can act as
 * every organisation whose keystore sits in the data directory, exactly as whoever can read that directory already can.
 * It never listens on TCP. The launcher ({@code ./covenant}) forwards {@code job}, {@code dataset}, {@code policy} and
 * {@code org} commands with curl when the socket answers and the caller's working directory is the server's (so relative
 * paths mean the same file); otherwise it starts a JVM as before. Auditors' commands ({@code verify}, {@code ledger})
 * are never forwarded: an audit must not run inside the operator's process.
 *
 * <p>Wire format: the smallest HTTP/1.1 curl speaks. The request body is the arguments, each ended by a NUL byte; the
 * header {@code X-Covenant-Cwd} carries the caller's working directory. The response body is the command's standard
 * output followed by its standard error; headers {@code X-Covenant-Exit} and {@code X-Covenant-Stdout-Length} say where
 * one ends and what the exit status was. One acceptor thread answers commands one at a time, because commands print
 * through {@link System#out}, which the daemon swaps for the command's buffers while it runs.
 */
final class CliDaemon implements AutoCloseable {
  static final String SOCKET_NAME = "cli.sock";
  private static final int MAX_REQUEST_BYTES = 1 << 20;
  private static volatile Served served;

  /** The deployment a forwarded command works on, when its data directory is the one being served. */
  private record Served(Path dataDir, String blockstore, String ledger, String db, LocalDeployment deployment) {}

  private final Path socket;
  private final ServerSocketChannel channel;
  private final Thread acceptor;

  private CliDaemon(Path socket, ServerSocketChannel channel) {
    this.socket = socket;
    this.channel = channel;
    this.acceptor = Thread.ofPlatform().daemon().name("covenant-cli-daemon").start(this::acceptLoop);
  }

  /**
   * Starts answering on {@code <dataDir>/cli.sock}, or returns empty (saying why on standard error) when the socket
   * cannot be made, for instance because the path is longer than the system's limit (about 100 bytes).
   */
  static Optional<CliDaemon> start(DataDirOption dataDir, LocalDeployment deployment) {
    Path socket = dataDir.path().toAbsolutePath().normalize().resolve(SOCKET_NAME);
    try {
      // A socket file left by a server that was killed: the ledger's lock (taken when the deployment opened) already
      // proves no other server runs on this data directory, so the file is stale.
      Files.deleteIfExists(socket);
      ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      ch.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      served = new Served(dataDir.path().toAbsolutePath().normalize(), dataDir.blockstore, dataDir.ledger, dataDir.database().text(), deployment);
      return Optional.of(new CliDaemon(socket, ch));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      System.err.println("covenant: CLI commands will start their own JVM (cannot listen on " + socket + ": " + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  /**
   * The served deployment, borrowed (closing it leaves it open), when a forwarded command names the served data
   * directory, blockstore and ledger; any other command opens its own.
   */
  static Optional<LocalDeployment> servedDeployment(DataDirOption dataDir) {
    Served s = served;
    if (s == null || !s.dataDir().equals(dataDir.path().toAbsolutePath().normalize()) || !s.blockstore().equals(dataDir.blockstore)
        || !s.ledger().equals(dataDir.ledger) || !s.db().equals(dataDir.database().text())) {
      return Optional.empty();
    }
    return Optional.of(s.deployment().borrowed());
  }

  private void acceptLoop() {
    while (channel.isOpen()) {
      try (SocketChannel client = channel.accept()) {
        answer(Channels.newInputStream(client), Channels.newOutputStream(client));
      } catch (IOException e) {
        if (!channel.isOpen()) return;
        // One broken client connection must not stop the daemon; the next command connects afresh.
      }
    }
  }

  private static void answer(InputStream in, OutputStream out) throws IOException {
    Request request;
    try {
      request = Request.read(in);
    } catch (IOException e) {
      respond(out, 400, "", "covenant: malformed CLI request: " + e.getMessage() + "\n", 2);
      return;
    }
    String ownCwd = Path.of("").toAbsolutePath().normalize().toString();
    if (!ownCwd.equals(request.cwd())) {
      // Relative paths in the arguments would name other files here; the launcher then runs the command itself.
      respond(out, 409, "", "covenant: the server runs in " + ownCwd + ", not " + request.cwd() + "\n", 2);
      return;
    }
    CovenantCli.Captured run = CovenantCli.executeCaptured(request.args().toArray(String[]::new));
    respond(out, 200, run.out(), run.err(), run.exit());
  }

  private static void respond(OutputStream out, int status, String stdout, String stderr, int exit) throws IOException {
    byte[] o = stdout.getBytes(StandardCharsets.UTF_8);
    byte[] e = stderr.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : " Refused") + "\r\n"
        + "Content-Type: application/octet-stream\r\n"
        + "Content-Length: " + (o.length + e.length) + "\r\n"
        + "X-Covenant-Exit: " + exit + "\r\n"
        + "X-Covenant-Stdout-Length: " + o.length + "\r\n"
        + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(o);
    out.write(e);
    out.flush();
  }

  /** A forwarded command: its arguments and the caller's working directory. */
  record Request(List<String> args, String cwd) {
    static Request read(InputStream in) throws IOException {
      String cwd = null;
      int length = -1;
      String line;
      boolean first = true;
      while (!(line = readLine(in)).isEmpty()) {
        if (first) {
          if (!line.startsWith("POST ")) throw new IOException("expected a POST, got '" + line + "'");
          first = false;
          continue;
        }
        int colon = line.indexOf(':');
        if (colon < 0) continue;
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("content-length")) length = Integer.parseInt(value);
        if (name.equals("x-covenant-cwd")) cwd = value;
      }
      if (length < 0 || length > MAX_REQUEST_BYTES) throw new IOException("missing or oversized Content-Length");
      if (cwd == null) throw new IOException("missing X-Covenant-Cwd");
      byte[] body = in.readNBytes(length);
      if (body.length != length) throw new IOException("the request ended early");
      List<String> args = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < body.length; i++) {
        if (body[i] == 0) {
          args.add(new String(body, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      if (start != body.length) throw new IOException("the last argument is not ended by a NUL byte");
      return new Request(List.copyOf(args), Path.of(cwd).toAbsolutePath().normalize().toString());
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) throw new IOException("the request ended inside its headers");
        if (sb.length() > 8192) throw new IOException("a header line is too long");
        if (c != '\r') sb.append((char) c);
      }
      return sb.toString();
    }
  }

  @Override
  public void close() {
    served = null;
    try {
      channel.close();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // Closing on shutdown; a socket file left behind is removed by the next server.
    }
    acceptor.interrupt();
  }
}
