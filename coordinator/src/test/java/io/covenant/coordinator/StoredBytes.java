package io.covenant.coordinator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Everything a component stored under a folder, as one byte array: what a curious operator could read from disk. */
final class StoredBytes {
  private StoredBytes() {}

  static byte[] under(Path area) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(area)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) buf.write(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }
}
