package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.SimulatedQuote;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.Measurement;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Attestation for machines without confidential-computing hardware. It proves nothing about isolation: every record
 * it produces says {@code simulated = true}, default policies refuse it, and a verifier accepts it only when the
 * operator explicitly trusts this installation's simulation key.
 *
 * <p>What it does bind is the code: the measurement is SHA-384 over the tee-worker's own classes (see
 * {@link #codeMeasurement()}), so an owner who allow-lists a measurement allow-lists exactly one build of this
 * module, and any change to it changes the measurement. The quote is an Ed25519 signature (RFC 8032) by the
 * per-installation simulation key over measurement || reportData || issuedAt.
 */
public final class SimulatedAttestationProvider implements AttestationProvider {
  /** The provider name in every simulated record; a verifier's trusted root for simulation is keyed by it. */
  public static final String NAME = AttestationEvidence.SIMULATED_PROVIDER;

  private static final String CODE_PREFIX = "io/covenant/tee/";

  private final SigningKey simulationKey;
  private final Clock clock;

  private SimulatedAttestationProvider(SigningKey simulationKey, Clock clock) {
    this.simulationKey = simulationKey;
    this.clock = clock;
  }

  public static SimulatedAttestationProvider create(SigningKey simulationKey) {
    return create(simulationKey, Clock.systemUTC());
  }

  static SimulatedAttestationProvider create(SigningKey simulationKey, Clock clock) {
    if (simulationKey == null) throw new MalformedInputException("the simulation provider needs this installation's simulation signing key");
    return new SimulatedAttestationProvider(simulationKey, clock);
  }

  /** The key a verifier must trust, under {@link #NAME}, to accept this installation's simulated evidence. */
  public VerifyingKey simulationRoot() {
    return simulationKey.verifyingKey();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AttestationEvidence attest(byte[] reportData) {
    if (reportData == null || reportData.length != AttestationEvidence.REPORT_DATA_BYTES) {
      throw new MalformedInputException("report data for attestation must be exactly " + AttestationEvidence.REPORT_DATA_BYTES + " bytes");
    }
    Measurement m = codeMeasurement();
    Instant at = Instant.ofEpochMilli(clock.instant().toEpochMilli());
    byte[] quote = simulationKey.sign(SimulatedQuote.statement(m, reportData, at)).bytes();
    return new AttestationEvidence(NAME, true, m, reportData, at, quote);
  }

  /**
   * SHA-384 over every class of the tee-worker ({@code io/covenant/tee/**.class}) where this class was loaded from,
   * a classes directory or a jar, taken in path order; each class contributes its path, a zero byte, its length (8
   * bytes) and its bytes. The same build gives the same value from a directory or from its jar.
   */
  public static Measurement codeMeasurement() {
    return CodeHash.VALUE;
  }

  /** The measurement of the tee-worker classes found at {@code location}, a classes directory or a jar. */
  static Measurement measure(Path location) {
    return CodeHash.measure(location);
  }

  private static final class CodeHash {
    static final Measurement VALUE = measure(codeLocation());

    private static Measurement measure(Path location) {
      TreeMap<String, byte[]> classes = new TreeMap<>();
      try {
        if (Files.isDirectory(location)) {
          Path root = location;
          try (Stream<Path> files = Files.walk(root.resolve(CODE_PREFIX))) {
            List<Path> found = new ArrayList<>(files.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).toList());
            for (Path p : found) {
              String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
              classes.put(name, Files.readAllBytes(p));
            }
          }
        } else {
          try (JarFile jar = new JarFile(location.toFile())) {
            for (JarEntry e : jar.stream().toList()) {
              if (e.isDirectory() || !e.getName().startsWith(CODE_PREFIX) || !e.getName().endsWith(".class")) continue;
              try (InputStream in = jar.getInputStream(e)) {
                classes.put(e.getName(), in.readAllBytes());
              }
            }
          }
        }
      } catch (IOException e) {
        throw new AttestationException("the tee-worker code at " + location + " could not be read to compute its measurement: " + e.getMessage(), e);
      }
      if (classes.isEmpty()) {
        throw new AttestationException("no tee-worker classes were found at " + location + " to measure; run the worker from its jar or classes directory");
      }
      MessageDigest sha384;
      try {
        sha384 = MessageDigest.getInstance("SHA-384");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-384", e);
      }
      for (var c : classes.entrySet()) {
        sha384.update(c.getKey().getBytes(StandardCharsets.UTF_8));
        sha384.update((byte) 0);
        sha384.update(ByteBuffer.allocate(Long.BYTES).putLong(c.getValue().length).array());
        sha384.update(c.getValue());
      }
      return new Measurement(HexFormat.of().formatHex(sha384.digest()));
    }

    private static Path codeLocation() {
      CodeSource source = SimulatedAttestationProvider.class.getProtectionDomain().getCodeSource();
      URL url = source == null ? null : source.getLocation();
      if (url == null) throw new AttestationException("the tee-worker cannot locate its own code to measure it (no code source)");
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new AttestationException("the tee-worker code location " + url + " is not a local file or directory, so it cannot be measured", e);
      }
    }
  }

  @Override
  public String toString() {
    return "SimulatedAttestationProvider[SIMULATED, root " + simulationRoot().shortForm() + "]";
  }
}
