package io.covenant.tee.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.core.id.Measurement;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeMeasurementChangesWithTheCode {
  @TempDir Path temp;

  private static Path classesDirectory() throws URISyntaxException {
    return Path.of(SimulatedAttestationProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<Path> classFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root.resolve("io/covenant/tee"))) {
      return s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }

  private Path copyOfClasses() throws Exception {
    Path root = classesDirectory();
    Path copy = temp.resolve("classes");
    for (Path p : classFiles(root)) {
      Path target = copy.resolve(root.relativize(p).toString());
      Files.createDirectories(target.getParent());
      Files.copy(p, target);
    }
    return copy;
  }

  @Test
  void isStableAndMatchesAFreshMeasurementOfTheSameClasses() throws Exception {
    assertEquals(SimulatedAttestationProvider.codeMeasurement(), SimulatedAttestationProvider.codeMeasurement());
    assertEquals(SimulatedAttestationProvider.codeMeasurement(), SimulatedAttestationProvider.measure(copyOfClasses()));
  }

  @Test
  void isTheSameFromAJarOfTheSameClasses() throws Exception {
    Path classes = copyOfClasses();
    Path jar = temp.resolve("tee-worker.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      List<Path> files = classFiles(classes);
      for (Path p : files.reversed()) { // order in the jar must not matter
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(p));
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/unrelated.txt"));
      out.write("not code".getBytes());
      out.closeEntry();
    }
    assertEquals(SimulatedAttestationProvider.codeMeasurement(), SimulatedAttestationProvider.measure(jar));
  }

  @Test
  void changesWhenOneByteOfOneClassChanges() throws Exception {
    Path classes = copyOfClasses();
    Path victim = classFiles(classes).getFirst();
    byte[] b = Files.readAllBytes(victim);
    b[b.length - 1] ^= 1;
    Files.write(victim, b);
    Measurement changed = SimulatedAttestationProvider.measure(classes);
    assertNotEquals(SimulatedAttestationProvider.codeMeasurement(), changed);
  }

  @Test
  void changesWhenAClassIsAdded() throws Exception {
    Path classes = copyOfClasses();
    try (OutputStream out = Files.newOutputStream(classes.resolve("io/covenant/tee/Injected.class"))) {
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
    }
    assertNotEquals(SimulatedAttestationProvider.codeMeasurement(), SimulatedAttestationProvider.measure(classes));
  }
}
