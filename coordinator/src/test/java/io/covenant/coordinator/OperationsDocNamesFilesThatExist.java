package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md names the files of a data directory; after a demo run, every one of them exists. Placeholders
 * ({@code <org>}, {@code <cid>}, ...) and {@code *} match any name; {@code docs/...} links must exist in the repository.
 */
class OperationsDocNamesFilesThatExist {
  private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");
  private static final Pattern DATA_PATH = Pattern.compile("(?:[a-z0-9<>*._-]+/)+[a-z0-9<>*._ -]*|[a-z0-9<>*_-]+\\.[a-z]{2,5}");

  @TempDir Path dir;

  @Test
  void everyPathInTheDataDirectorySectionExistsAfterTheDemo() throws IOException {
    Path repo = repositoryRoot();
    String doc = Files.readString(repo.resolve("docs/operations.md"));
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      new HospitalInsurerDemo(new PrintStream(OutputStream.nullOutputStream())).run(d);
    }
    int start = doc.indexOf("## The data directory");
    assertTrue(start >= 0, "docs/operations.md has a data directory section");
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end);

    List<String> checked = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Matcher m = CODE.matcher(section);
    while (m.find()) {
      String token = m.group(1);
      if (token.startsWith("./") || token.startsWith("--") || !DATA_PATH.matcher(token).matches()) continue;
      checked.add(token);
      if (!exists(dir, token)) missing.add(token);
    }
    assertTrue(checked.size() >= 8, "the section names the data directory's files: " + checked);
    assertEquals(List.of(), missing, "named in docs/operations.md but not in a demo's data directory");

    Matcher links = Pattern.compile("\\]\\(([a-z0-9_./-]+\\.md)\\)").matcher(doc);
    while (links.find()) assertTrue(Files.exists(repo.resolve("docs").resolve(links.group(1))), "a link to a missing page: " + links.group(1));
  }

  /** Whether {@code pattern} (a relative path with {@code <placeholder>} and {@code *} parts) names something under {@code root}. */
  private static boolean exists(Path root, String pattern) throws IOException {
    String glob = pattern.replaceAll("<[^>]+>", "*").replaceAll("/$", "");
    var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> all = Files.walk(root)) {
      return all.map(root::relativize).anyMatch(matcher::matches);
    }
  }

  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/operations.md"))) p = p.getParent();
    assertNotNull(p, "the repository root (with docs/operations.md) is above the working directory");
    return p;
  }
}
