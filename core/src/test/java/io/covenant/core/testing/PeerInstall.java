package io.covenant.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs a pinned peer program through the repository's {@code .ci/peers.sh} (Go programs built from the Go module
 * proxy, npm programs from the committed lock file, all into the git-ignored {@code .ci/cache/}) and returns its path.
 * The script reuses what it built before, so only the first run pays for the build. Shared by the modules whose tests
 * run real peers (storage: Kubo and IPFS Cluster; ledger-bridge: anvil, geth, Hardhat, solc) through core's test jar.
 */
public final class PeerInstall {
  private PeerInstall() {}

  /** The repository root: the nearest folder up from the working directory that holds {@code .ci/peers.sh}. */
  public static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(".ci/peers.sh"))) return p;
    }
    throw new AssertionError("cannot find .ci/peers.sh above " + Path.of("").toAbsolutePath() + ": run the tests from inside the repository");
  }

  /** Runs {@code .ci/peers.sh <program>} and returns the path it prints; fails naming the program and how to retry. */
  public static Path install(String program) {
    Path root = repositoryRoot();
    Path script = root.resolve(".ci/peers.sh");
    try {
      Path err = Files.createTempFile("covenant-peers-" + program, ".log");
      try {
        Process p = new ProcessBuilder(List.of("bash", script.toString(), program)).directory(root.toFile())
            .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(40, TimeUnit.MINUTES)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError("installing the test peer '" + program + "' (.ci/peers.sh " + program + ") did not finish within 40 minutes; "
              + "run '.ci/peers.sh " + program + "' by hand to see where it stalls");
        }
        String log = Files.readString(err, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0 || out.isEmpty()) {
          throw new AssertionError("installing the test peer '" + program + "' failed (.ci/peers.sh " + program + ", exit " + p.exitValue() + "):\n" + log
              + "\nFix the cause and run the tests again (or '.ci/peers.sh " + program + "' alone to retry the install).");
        }
        Path installed = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
        if (!Files.exists(installed)) throw new AssertionError(".ci/peers.sh " + program + " named " + installed + ", which does not exist; delete .ci/cache/ and retry");
        return installed;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run .ci/peers.sh " + program + " (is bash installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while installing the test peer '" + program + "'", e);
    }
  }
}
