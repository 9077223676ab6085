package io.covenant.tee.attestation;

import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.attestation.AttestationException;

import io.covenant.core.id.Measurement;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything that runs inside the worker's (simulated) enclave, measured: every entry of the worker JVM's class path
 * and the JVM itself. The total is what a TEE policy's {@code tee.measurements} lists and what the simulation
 * provider attests; any change to any component (one byte of one jar, a JDK update) changes it.
 *
 * <p>Components, each a SHA-384:
 * <ul>
 *   <li>each class-path jar, over its file's bytes, including the jars its manifest's {@code Class-Path} names (the
 *       launcher's jar lists its dependencies there). Native libraries that ship inside jars are covered by their jar:
 *       DuckDB's JDBC jar carries {@code libduckdb_java.so} and extracts it to a temporary file at first use, and
 *       XGBoost4J does the same with {@code libxgboost4j.so}; the extracted file is the jar's bytes, so hashing the
 *       jar measures the library that is loaded;
 *   <li>each class-path directory (a build's {@code classes} folder), over its files' relative paths and contents;
 *   <li>the JVM: its {@code release} file (vendor and version), {@code lib/modules} (the Java class library),
 *       {@code lib/server/libjvm.so} (the virtual machine) and, together, every other native library under
 *       {@code lib} (the JDK's own JNI libraries: libjava, libnio, libzip, ...).
 * </ul>
 *
 * <p>The total is SHA-384 over the components sorted by kind, name and hash, each as kind, 0, name, 0, hash. Names are
 * file names, not full paths, and the order is a sort, not the class path's order: the same files give the same total
 * on any machine and in any class-path order. What this does not measure: JVM options (an agent given with
 * {@code -javaagent} runs in the enclave too; a hardware TD measures its kernel command line in an RTMR instead) and a
 * class-data-sharing archive, which is derived from the measured jars by the same JVM.
 *
 * <p>The computation spec is not part of this value, so that an owner can pin one value for every job the worker runs;
 * the spec is bound to the evidence through its REPORT_DATA (job, dataset, enclave key; see the key-release request)
 * and to the ledger's record of the job.
 */
public record EnclaveImage(List<Component> components, Measurement total) {
  /** Domain label of the total. */
  static final String LABEL = "covenant/enclave-image/v1";

  public EnclaveImage {
    components = List.copyOf(components);
  }

  /** One measured part of the image. */
  public record Component(Kind kind, String name, String sha384) {}

  /** What a component is, in the order the table and the total list them. */
  public enum Kind {
    JAR("class-path jar"),
    CLASSES("class-path directory"),
    JVM_RELEASE("JVM release file"),
    JVM_CLASS_LIBRARY("JVM class library"),
    JVM_VM("JVM virtual machine"),
    JVM_NATIVE("JVM native libraries");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The image of this JVM: its {@code java.class.path} and {@code java.home}; measured once per process. */
  public static EnclaveImage current() {
    return Current.IMAGE;
  }

  private static final class Current {
    static final EnclaveImage IMAGE = measure(classPath(System.getProperty("java.class.path", "")), Path.of(System.getProperty("java.home")));

    private static List<Path> classPath(String property) {
      List<Path> out = new ArrayList<>();
      for (String entry : property.split(File.pathSeparator)) {
        if (!entry.isBlank()) out.add(Path.of(entry));
      }
      return out;
    }
  }

  /**
   * Measures {@code classPath} (entries that do not exist are skipped, as the JVM skips them) and the JVM installed at
   * {@code javaHome}.
   */
  public static EnclaveImage measure(List<Path> classPath, Path javaHome) {
    List<Component> parts = new ArrayList<>();
    for (Path entry : withManifestClassPaths(classPath)) {
      if (Files.isDirectory(entry)) {
        parts.add(new Component(Kind.CLASSES, entry.getFileName() + "/", hex(directoryHash(entry))));
      } else if (Files.isRegularFile(entry)) {
        parts.add(new Component(Kind.JAR, entry.getFileName().toString(), hex(fileHash(entry))));
      }
    }
    if (parts.isEmpty()) {
      throw new AttestationException("the worker's class path holds no jar or classes directory to measure; start the worker from its jar");
    }
    parts.add(new Component(Kind.JVM_RELEASE, "release", hex(fileHash(required(javaHome, "release")))));
    parts.add(new Component(Kind.JVM_CLASS_LIBRARY, "lib/modules", hex(fileHash(required(javaHome, "lib/modules")))));
    Path vm = javaHome.resolve("lib/server").resolve(System.mapLibraryName("jvm"));
    if (!Files.isRegularFile(vm)) vm = javaHome.resolve("bin/server").resolve(System.mapLibraryName("jvm")); // Windows layout
    parts.add(new Component(Kind.JVM_VM, javaHome.relativize(required(vm.getParent(), vm.getFileName().toString())).toString().replace('\\', '/'),
        hex(fileHash(vm))));
    TreeMap<String, byte[]> natives = nativeLibraries(javaHome, vm);
    parts.add(new Component(Kind.JVM_NATIVE, natives.size() + " libraries under lib/", hex(namedHashes(natives))));
    parts.sort(Comparator.comparing(Component::kind).thenComparing(Component::name).thenComparing(Component::sha384));

    MessageDigest total = measurementDigest();
    total.update(LABEL.getBytes(StandardCharsets.UTF_8));
    for (Component c : parts) {
      total.update((byte) 0);
      total.update(c.kind().name().getBytes(StandardCharsets.UTF_8));
      total.update((byte) 0);
      total.update(c.name().getBytes(StandardCharsets.UTF_8));
      total.update((byte) 0);
      total.update(HexFormat.of().parseHex(c.sha384()));
    }
    return new EnclaveImage(parts, new Measurement(hex(total.digest())));
  }

  /**
   * The class path as the JVM loads it: each jar's manifest {@code Class-Path} entries (relative URLs, resolved against
   * the jar's folder; JAR File Specification, "Main Attributes") are loaded too, so they are measured too. The
   * launcher's jar names its dependencies this way.
   */
  static List<Path> withManifestClassPaths(List<Path> classPath) {
    java.util.LinkedHashSet<Path> seen = new java.util.LinkedHashSet<>();
    java.util.ArrayDeque<Path> todo = new java.util.ArrayDeque<>();
    for (Path p : classPath) todo.add(p.toAbsolutePath().normalize());
    while (!todo.isEmpty()) {
      Path p = todo.poll();
      if (!seen.add(p) || !Files.isRegularFile(p)) continue;
      String declared;
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
        var manifest = jar.getManifest();
        declared = manifest == null ? null : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
      } catch (IOException e) {
        continue; // not a jar: the JVM cannot load classes from it either; its bytes are still measured
      }
      if (declared == null) continue;
      for (String ref : declared.trim().split("\\s+")) {
        if (ref.isEmpty()) continue;
        try {
          java.net.URI uri = p.getParent().toUri().resolve(ref);
          if ("file".equals(uri.getScheme())) todo.add(Path.of(uri).normalize());
        } catch (IllegalArgumentException e) {
          throw new AttestationException("the manifest Class-Path of " + p.getFileName() + " names '" + ref + "', which is not a relative URL of a file");
        }
      }
    }
    return List.copyOf(seen);
  }

  private static Path required(Path dir, String name) {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new AttestationException("the JVM at " + dir + " has no " + name + " to measure; run the worker on a full JDK or JRE image");
    }
    return p;
  }

  private static TreeMap<String, byte[]> nativeLibraries(Path javaHome, Path vm) {
    TreeMap<String, byte[]> out = new TreeMap<>();
    Path lib = javaHome.resolve("lib");
    try (Stream<Path> files = Files.walk(lib)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (p.equals(vm) || !(n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".dll"))) continue;
        out.put(lib.relativize(p).toString().replace('\\', '/'), fileHash(p));
      }
    } catch (IOException e) {
      throw new AttestationException("the JVM's native libraries under " + lib + " could not be listed to measure them: " + e.getMessage(), e);
    }
    return out;
  }

  /** SHA-384 over a directory's regular files: relative path, 0, length (8 bytes), contents, in path order. */
  static byte[] directoryHash(Path dir) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new AttestationException("the class-path directory " + dir + " could not be read to measure it: " + e.getMessage(), e);
    }
    MessageDigest d = measurementDigest();
    for (var f : files.entrySet()) {
      d.update(f.getKey().getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(ByteBuffer.allocate(Long.BYTES).putLong(f.getValue().length).array());
      d.update(f.getValue());
    }
    return d.digest();
  }

  private static byte[] namedHashes(TreeMap<String, byte[]> hashes) {
    MessageDigest d = measurementDigest();
    for (var h : hashes.entrySet()) {
      d.update(h.getKey().getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(h.getValue());
    }
    return d.digest();
  }

  static byte[] fileHash(Path file) {
    MessageDigest d = measurementDigest();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) d.update(buffer, 0, n);
    } catch (IOException e) {
      throw new AttestationException("the file " + file.getFileName() + " could not be read to measure it: " + e.getMessage(), e);
    }
    return d.digest();
  }

  /** The measurement hash the hardware reports (SHA-384, fixed by the SEV-SNP and TDX specifications). */
  private static MessageDigest measurementDigest() {
    return FixedAlgorithms.teeMeasurementDigest();
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
