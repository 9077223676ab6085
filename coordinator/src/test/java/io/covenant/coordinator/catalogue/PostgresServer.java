package io.covenant.coordinator.catalogue;

import io.covenant.coordinator.deployment.DatabaseSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * One throw-away PostgreSQL cluster per test JVM, started on first use by {@code .ci/postgresql-cluster} (which installs
 * Debian's postgresql package when it is missing) on a free port in a temporary folder, and stopped and deleted when
 * the JVM exits. Each test takes a fresh database of its own with {@link #freshDatabase()}.
 */
public final class PostgresServer {
  private static PostgresServer instance;

  private final Path dir;
  private final int port;
  private final Path passwordFile;
  private int databases;

  private PostgresServer(Path dir, int port, Path passwordFile) {
    this.dir = dir;
    this.port = port;
    this.passwordFile = passwordFile;
  }

  public static synchronized PostgresServer get() {
    if (instance == null) instance = start();
    return instance;
  }

  private static PostgresServer start() {
    try {
      Path script = repositoryRoot().resolve(".ci").resolve("postgresql-cluster");
      Path dir = Files.createTempDirectory("covenant-pg");
      // The server runs as the postgres user when the tests run as root: it must be able to pass through this folder.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      Path passwordFile = dir.resolve("password");
      byte[] pw = new byte[16];
      new SecureRandom().nextBytes(pw);
      Files.writeString(passwordFile, HexFormat.of().formatHex(pw) + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path cluster = dir.resolve("cluster");
      Path log = dir.resolve("start.log");
      Process p = new ProcessBuilder("bash", script.toString(), "start", cluster.toString(), Integer.toString(port), passwordFile.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("could not start a PostgreSQL cluster with " + script + ":\n" + Files.readString(log));
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(script, cluster, dir)));
      return new PostgresServer(dir, port, passwordFile);
    } catch (IOException e) {
      throw new IllegalStateException("could not start a PostgreSQL cluster: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting PostgreSQL", e);
    }
  }

  private static void stop(Path script, Path cluster, Path dir) {
    try {
      new ProcessBuilder("bash", script.toString(), "stop", cluster.toString()).inheritIO().start().waitFor();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("could not stop the test PostgreSQL cluster in " + dir + ": " + e.getMessage());
    }
  }

  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".ci").resolve("postgresql-cluster"))) return p;
    }
    throw new IllegalStateException("no .ci/postgresql-cluster above " + Path.of("").toAbsolutePath());
  }

  public int port() {
    return port;
  }

  public Path passwordFile() {
    return passwordFile;
  }

  /** A new, empty database on this server, owned by the superuser the tests log in as. */
  public synchronized PostgresDatabase freshDatabase() {
    String name = "covenant_test_" + (++databases) + "_" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", superuser());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
    }
    return new PostgresDatabase("127.0.0.1", port, name, "covenant", Optional.of(passwordFile), Optional.empty());
  }

  /** The {@code --db} spec of {@code db}, as an operator writes it. */
  public static DatabaseSpec spec(PostgresDatabase db) {
    return new DatabaseSpec("postgresql://" + db.address() + "/" + db.database() + "?user=" + db.user()
        + db.passwordFile().map(f -> "&password-file=" + f).orElse(""));
  }

  /** Runs SQL as the superuser on {@code db} (for checks the store does not offer). */
  public Connection connect(PostgresDatabase db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db.database(), superuser());
  }

  private Properties superuser() {
    Properties p = new Properties();
    p.setProperty("user", "covenant");
    try {
      p.setProperty("password", Files.readString(passwordFile).strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  @Override
  public String toString() {
    return "PostgreSQL on 127.0.0.1:" + port + " in " + dir;
  }
}
