package io.covenant.coordinator.catalogue;

import io.covenant.core.error.MalformedInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the coordinator's PostgreSQL database is and how to log in to it. The password is never part of this value:
 * it is read when connecting, from {@code passwordFile} when one is given, otherwise from the environment variable
 * {@value #PASSWORD_ENV} (or none, for a server that trusts this client).
 */
public record PostgresDatabase(String host, int port, String database, String user, Optional<Path> passwordFile, Optional<String> sslMode) {
  /** The environment variable a password is read from when no password file is given. */
  public static final String PASSWORD_ENV = "COVENANT_DB_PASSWORD";

  public PostgresDatabase {
    if (host == null || host.isBlank()) throw new MalformedInputException("a PostgreSQL database needs a host");
    if (port < 1 || port > 65535) throw new MalformedInputException("PostgreSQL port " + port + " is not a TCP port (1-65535)");
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_$-]{0,62}")) {
      throw new MalformedInputException("'" + database + "' is not a database name Covenant accepts (letters, digits, _ $ -, at most 63, not starting with a digit)");
    }
    if (user == null || user.isBlank()) throw new MalformedInputException("a PostgreSQL database needs a user (?user=NAME)");
  }

  /** Host and port as an operator writes them: {@code 127.0.0.1:5432}. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** What an error message names: database, server and user, never the password. */
  public String describe() {
    return "PostgreSQL database " + database + " at " + address() + " as user " + user;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + address() + "/" + database;
  }

  /** The driver's connection properties, with the password read now (it is not kept anywhere else). */
  Properties connectionProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    password().ifPresent(pw -> p.setProperty("password", pw));
    sslMode.ifPresent(m -> p.setProperty("sslmode", m));
    p.setProperty("ApplicationName", "covenant-coordinator");
    p.setProperty("connectTimeout", "10");
    p.setProperty("loginTimeout", "15");
    p.setProperty("tcpKeepAlive", "true");
    return p;
  }

  private Optional<String> password() {
    if (passwordFile.isPresent()) {
      try {
        return Optional.of(Files.readString(passwordFile.get(), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new MalformedInputException("cannot read the database password file " + passwordFile.get() + " (" + e.getMessage()
            + "); it must hold the password of user " + user + " on its first line");
      }
    }
    return Optional.ofNullable(System.getenv(PASSWORD_ENV)).filter(s -> !s.isEmpty());
  }

  @Override
  public String toString() {
    return describe();
  }
}
