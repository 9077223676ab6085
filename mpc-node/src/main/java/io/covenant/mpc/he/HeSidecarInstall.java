package io.covenant.mpc.he;

import io.covenant.core.crypto.FixedAlgorithms;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Installs the SEAL sidecar on first use. Its three files (package.json pinning node-seal 6.0.3, the committed
 * package-lock.json, sidecar.js) ship inside this module's jar; they are copied into a folder of the cache named after
 * their SHA-256 and {@code npm ci} installs exactly the locked node-seal there. Later runs find the folder complete and
 * start at once; a changed sidecar gets a new folder, and the old ones are deleted. A file lock (and a lock inside the
 * JVM) makes two tests or two nodes that ask at once install it once; a failed install leaves nothing behind but its
 * log.
 *
 * <p>The cache is, in order: the folder the node names ({@link #installInto}), the system property
 * {@code covenant.he.cache}, the environment variable {@code COVENANT_HE_CACHE}, the repository's git-ignored
 * {@code .ci/cache/he-sidecar/} when running inside a checkout, or {@code ~/.cache/covenant/he-sidecar/}.
 */
public final class HeSidecarInstall {
  private HeSidecarInstall() {}

  /** The node-seal version the lock file pins: 7.x does not run on Node.js 20. */
  public static final String NODE_SEAL_VERSION = "6.0.3";

  private static final String RESOURCE_DIR = "/io/covenant/mpc/he/sidecar/";
  private static final List<String> FILES = List.of("package.json", "package-lock.json", "sidecar.js");
  private static final int MIN_NODE_MAJOR = 18;
  private static final ReentrantLock IN_JVM = new ReentrantLock();

  /** Installs into the default cache (see the class comment) and returns what to run. */
  public static SidecarInstallation install() {
    return installInto(defaultCache());
  }

  /** The cache folder used when the node names none. */
  public static Path defaultCache() {
    String prop = System.getProperty("covenant.he.cache");
    if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath();
    String env = System.getenv("COVENANT_HE_CACHE");
    if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(".ci")) && Files.isRegularFile(p.resolve("mpc-node/pom.xml"))) return p.resolve(".ci/cache/he-sidecar");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "covenant", "he-sidecar");
  }

  /** Installs into {@code cache} (created if missing) unless already there, and returns what to run. */
  public static SidecarInstallation installInto(Path cache) {
    Path node = findProgram("node");
    List<byte[]> files = FILES.stream().map(HeSidecarInstall::resource).toList();
    Path dir = cache.resolve("sidecar-" + fingerprint(files));
    Path script = dir.resolve("sidecar.js");
    if (Files.isRegularFile(dir.resolve(".installed"))) return new SidecarInstallation(node, script);
    IN_JVM.lock();
    try {
      Files.createDirectories(cache);
      try (FileChannel lockFile = FileChannel.open(cache.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockFile.lock()) {
        if (Files.isRegularFile(dir.resolve(".installed"))) return new SidecarInstallation(node, script);
        checkNodeVersion(node);
        Path npm = findProgram("npm");
        Path partial = cache.resolve(dir.getFileName() + ".partial");
        deleteTree(partial);
        Files.createDirectories(partial);
        for (int i = 0; i < FILES.size(); i++) Files.write(partial.resolve(FILES.get(i)), files.get(i));
        Path log = cache.resolve(dir.getFileName() + ".npm.log");
        System.err.println("covenant: installing the homomorphic-encryption sidecar (Microsoft SEAL as node-seal " + NODE_SEAL_VERSION
            + ", from npm) into " + dir + "; first use only, log: " + log);
        List<String> cmd = new ArrayList<>(List.of(npm.toString(), "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"));
        Process p = new ProcessBuilder(cmd).directory(partial.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          deleteTree(partial);
          throw new HeSidecarException("npm ci for the SEAL sidecar did not finish within 15 minutes (log: " + log + "); check that the npm registry is reachable and start again");
        }
        if (p.exitValue() != 0 || !Files.isDirectory(partial.resolve("node_modules/node-seal"))) {
          String tail = tail(log);
          deleteTree(partial);
          throw new HeSidecarException("npm ci for the SEAL sidecar failed (exit " + p.exitValue() + ", log: " + log + "):\n" + tail
              + "\nCheck that the npm registry is reachable (or set npm's registry/proxy), then start again; nothing was installed");
        }
        Files.writeString(partial.resolve(".installed"), "node-seal " + NODE_SEAL_VERSION + "\n");
        deleteTree(dir);
        try {
          Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, dir);
        }
        pruneOtherVersions(cache, dir);
        System.err.println("covenant: the homomorphic-encryption sidecar is installed");
        return new SidecarInstallation(node, script);
      }
    } catch (IOException e) {
      throw new HeSidecarException("cannot install the SEAL sidecar into " + cache + ": " + e.getMessage()
          + "; make the folder writable (or name another with -Dcovenant.he.cache=...) and start again", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeSidecarException("interrupted while installing the SEAL sidecar into " + cache, e);
    } finally {
      IN_JVM.unlock();
    }
  }

  /**
   * Deletes the folders (and logs) of earlier versions of the sidecar: each holds a copy of node-seal (about 30 MB).
   * Runs under the install lock; a sidecar still running from a deleted folder keeps running (its files stay open).
   */
  private static void pruneOtherVersions(Path cache, Path keep) throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!name.startsWith("sidecar-") || p.equals(keep) || name.equals(keep.getFileName() + ".npm.log")) continue;
        if (Files.isDirectory(p)) deleteTree(p);
        else Files.deleteIfExists(p);
      }
    }
  }

  /** The program on the PATH, or a clear refusal naming what to install. */
  static Path findProgram(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        if (d.isEmpty()) continue;
        Path p = Path.of(d, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
      }
    }
    throw new HeSidecarException("the homomorphic-encryption engine runs Microsoft SEAL (node-seal " + NODE_SEAL_VERSION + ") in a Node.js sidecar, and '"
        + name + "' is not on the PATH; install Node.js " + MIN_NODE_MAJOR + " or newer with npm (for example 'apt-get install nodejs npm') and start again");
  }

  private static void checkNodeVersion(Path node) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(30, TimeUnit.SECONDS);
    int major = -1;
    if (out.matches("v\\d+\\..*")) major = Integer.parseInt(out.substring(1, out.indexOf('.')));
    if (major < MIN_NODE_MAJOR) {
      throw new HeSidecarException(node + " reports version '" + out + "'; the SEAL sidecar (node-seal " + NODE_SEAL_VERSION + ") needs Node.js "
          + MIN_NODE_MAJOR + " or newer; install a newer Node.js and start again");
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = HeSidecarInstall.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) throw new HeSidecarException("the SEAL sidecar's " + name + " is missing from the mpc-node jar; rebuild mpc-node");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fingerprint(List<byte[]> files) {
    MessageDigest md = FixedAlgorithms.publicFingerprint();
    for (byte[] f : files) {
      md.update(Integer.toString(f.length).getBytes(StandardCharsets.US_ASCII));
      md.update(f);
    }
    return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
