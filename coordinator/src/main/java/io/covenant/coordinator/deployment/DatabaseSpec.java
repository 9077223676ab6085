package io.covenant.coordinator.deployment;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.PostgresDatabase;
import io.covenant.core.error.MalformedInputException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which database the coordinator keeps, as an operator writes it: {@code embedded} (the default: H2 in the data
 * directory's {@code coordinator/}) or {@code postgresql://HOST[:PORT]/DATABASE?user=USER[&password-file=FILE][&sslmode=MODE]}
 * (a PostgreSQL server; port 5432 when left out). The password is never written in the spec: it is read from
 * {@code password-file} or from the environment variable {@value PostgresDatabase#PASSWORD_ENV}.
 */
public record DatabaseSpec(String text) {
  public static final DatabaseSpec EMBEDDED = new DatabaseSpec("embedded");
  private static final String FORM = "use embedded, or postgresql://HOST[:PORT]/DATABASE?user=USER[&password-file=FILE][&sslmode=MODE]";
  private static final Set<String> SETTINGS = Set.of("user", "password-file", "sslmode");
  private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public DatabaseSpec {
    if (text == null || text.isBlank()) throw new MalformedInputException("a database spec is empty; " + FORM);
    if (!text.equals("embedded")) postgres(text);
  }

  public boolean embedded() {
    return text.equals("embedded");
  }

  /** The PostgreSQL database this spec names, if it names one. */
  public Optional<PostgresDatabase> postgres() {
    return embedded() ? Optional.empty() : Optional.of(postgres(text));
  }

  /**
   * The file in a data directory that names its coordinator database when that is not the embedded one, so commands
   * that leave out {@code --db} find it, and a command that names another one is refused.
   */
  public static final String RECORD_FILE = "coordinator-database";

  /**
   * The database a command on {@code dataDir} works on: {@code given} when there is one (it must be the one the data
   * directory records, see {@link #checkAgainst}), otherwise the one the data directory records, otherwise embedded.
   */
  public static DatabaseSpec forDataDir(Path dataDir, Optional<String> given) {
    if (given.isPresent()) return new DatabaseSpec(given.get());
    return recorded(dataDir).orElse(EMBEDDED);
  }

  private static Optional<DatabaseSpec> recorded(Path dataDir) {
    Path f = dataDir.resolve(RECORD_FILE);
    if (!Files.exists(f)) return Optional.empty();
    try {
      return Optional.of(new DatabaseSpec(Files.readString(f, StandardCharsets.UTF_8).strip()));
    } catch (IOException e) {
      throw new MalformedInputException("cannot read " + f + " (" + e.getMessage() + "); it names this deployment's coordinator database");
    }
  }

  /**
   * Refuses to open {@code dataDir} with a database other than its own: one deployment's catalogue, jobs and usage
   * counts live in one database, and a second, empty one would let a consumer spend a policy's uses again.
   */
  public void checkAgainst(Path dataDir) {
    Optional<DatabaseSpec> mine = recorded(dataDir);
    if (mine.isPresent() && !mine.get().sameDatabase(this)) {
      throw new MalformedInputException("the deployment in " + dataDir + " keeps its coordinator database in " + mine.get() + " (see " + RECORD_FILE
          + "), not " + this + "; leave out --db, or pass --db '" + mine.get() + "'");
    }
    if (mine.isEmpty() && !embedded() && Files.exists(dataDir.resolve("coordinator").resolve("coordinator.mv.db"))) {
      throw new MalformedInputException("the deployment in " + dataDir + " keeps its coordinator database embedded (coordinator/); it cannot move to "
          + this + " (its catalogue, jobs and usage counts would be left behind). Leave out --db, or start a new data directory with --db");
    }
  }

  /** Whether both name the same database (embedded, or the same server and database name; user and password file may differ). */
  private boolean sameDatabase(DatabaseSpec other) {
    if (embedded() || other.embedded()) return embedded() == other.embedded();
    PostgresDatabase a = postgres().orElseThrow();
    PostgresDatabase b = other.postgres().orElseThrow();
    return a.host().equalsIgnoreCase(b.host()) && a.port() == b.port() && a.database().equals(b.database());
  }

  /** Writes this database's spec into {@code dataDir} (see {@link #RECORD_FILE}); nothing for the embedded one. */
  public void recordIn(Path dataDir) {
    Path f = dataDir.resolve(RECORD_FILE);
    if (embedded() || Files.exists(f)) return;
    try {
      Path tmp = dataDir.resolve(RECORD_FILE + ".tmp");
      Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new io.covenant.core.error.CovenantException("cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  /** Opens the coordinator's database for the deployment in {@code dataDir}, bringing its schema up to date. */
  public CoordinatorStore open(Path dataDir) {
    return embedded() ? CoordinatorStore.open(dataDir.resolve("coordinator")) : CoordinatorStore.open(postgres(text));
  }

  private static PostgresDatabase postgres(String spec) {
    if (spec.startsWith("jdbc:")) {
      throw new MalformedInputException("database '" + spec + "': write it without the 'jdbc:' prefix; " + FORM);
    }
    if (!spec.startsWith("postgresql://")) throw new MalformedInputException("database '" + spec + "' is not known: " + FORM);
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw new MalformedInputException("database '" + spec + "' is not a URL (" + e.getReason() + "); " + FORM);
    }
    if (uri.getUserInfo() != null) {
      throw new MalformedInputException("database '" + redacted(spec) + "': put the user in ?user=NAME and the password in a password-file "
          + "or " + PostgresDatabase.PASSWORD_ENV + ", never in the URL (it would show in the process list and the shell history)");
    }
    if (uri.getHost() == null) throw new MalformedInputException("database '" + spec + "' names no host; " + FORM);
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.length() < 2) throw new MalformedInputException("database '" + spec + "' names no database after the host; " + FORM);
    Map<String, String> opts = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String part : uri.getRawQuery().split("&")) {
        int eq = part.indexOf('=');
        if (eq < 1) throw new MalformedInputException("database '" + spec + "': '" + part + "' is not name=value; " + FORM);
        String name = URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8);
        String value = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        if (name.equals("password")) {
          throw new MalformedInputException("database spec: a password is never written on the command line (it would show in the process list "
              + "and the shell history); put it in a file named by password-file=FILE, or in the environment variable " + PostgresDatabase.PASSWORD_ENV);
        }
        if (!SETTINGS.contains(name)) {
          throw new MalformedInputException("database '" + spec + "': unknown setting '" + name + "' (known: user, password-file, sslmode); " + FORM);
        }
        if (opts.put(name, value) != null) throw new MalformedInputException("database '" + spec + "': '" + name + "' is given twice");
      }
    }
    if (!opts.containsKey("user")) throw new MalformedInputException("database '" + spec + "' names no user; add ?user=NAME");
    String sslMode = opts.get("sslmode");
    if (sslMode != null && !SSL_MODES.contains(sslMode)) {
      throw new MalformedInputException("database '" + spec + "': sslmode '" + sslMode + "' is not one of " + String.join(", ", new java.util.TreeSet<>(SSL_MODES)));
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return new PostgresDatabase(host, uri.getPort() == -1 ? 5432 : uri.getPort(), path.substring(1), opts.get("user"),
        Optional.ofNullable(opts.get("password-file")).map(Path::of), Optional.ofNullable(sslMode));
  }

  /** The spec with anything between "//" and "@" hidden, for messages about a spec that wrongly carries credentials. */
  private static String redacted(String spec) {
    return spec.replaceFirst("//[^/@]*@", "//***@");
  }

  @Override
  public String toString() {
    return text;
  }
}
