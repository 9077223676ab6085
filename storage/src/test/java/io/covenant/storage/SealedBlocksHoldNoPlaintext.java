package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedBlocksHoldNoPlaintext {
  @TempDir Path dir;

  @Test
  void noStoredBlockContainsADistinctiveValueFromTheData() throws IOException {
    Published p = Published.sample(dir, "hospital-a/claims@1", 10_000, 2_500, 0);
    // The marker really is in the data, so the search below could fail.
    assertTrue(p.readAll(p.manifest(), p.key()).stream().anyMatch(r -> SampleClaims.MARKER.equals(r.get(0))));
    byte[] needle = SampleClaims.MARKER.getBytes(StandardCharsets.UTF_8);
    byte[] patientId = "p5000".getBytes(StandardCharsets.UTF_8);
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertEquals(p.manifest().manifest().shards().size() + 1, files.size(), "shards plus the manifest");
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      assertEquals(-1, indexOf(b, needle), f + " contains a plaintext value");
      assertEquals(-1, indexOf(b, patientId), f + " contains a plaintext value");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
