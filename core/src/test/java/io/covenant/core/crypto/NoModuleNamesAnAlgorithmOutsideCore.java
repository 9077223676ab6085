package io.covenant.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's rule, held literally: no module other than {@code core} names a cryptographic algorithm. Every signature,
 * hash, AEAD, KEM and KDF goes through the consortium's {@link CryptoSuite}, and what an external specification fixes
 * is named once, in core, by {@link FixedAlgorithms} (and the classes it points to), with the reason.
 *
 * <p>The scan reads the main sources of every other module, with comments removed, and fails naming file and line for:
 * a string literal that is an algorithm, mode, curve, multihash or TLS/key-store name ({@code "SHA-256"},
 * {@code "AES/GCM/NoPadding"}, {@code "secp256r1"}, {@code "sha2-256"}, {@code "TLSv1.3"}, ...); a JCA
 * {@code getInstance} with a literal name; an import of a BouncyCastle class that is one algorithm
 * ({@code Ed25519Signer}, {@code SM4Engine}, {@code math.ec.rfc8032.Ed25519}, ...); a JDK constant naming a curve or
 * mask function ({@code NamedParameterSpec.X25519}); and a call of core's algorithm-named helpers
 * ({@code Digest.sha256}). Prose in messages (a literal with a space in it) is not a name and is allowed.
 */
class NoModuleNamesAnAlgorithmOutsideCore {
  static final List<String> MODULES = List.of("storage", "policies", "ledger-bridge", "tee-worker", "mpc-node", "coordinator");

  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern ALGORITHM_NAME = Pattern.compile("(?i)("
      + "sha-?(1|224|256|384|512)(/\\d+)?|sha3-\\d+|md5|sm3|sm3-256|sha2-256|sha2-512|blake\\w*|"
      + "\\w*with(ecdsa|rsa|sm2|eddsa|rsaandmgf1)|hmac\\w*|hkdf\\w*|pbkdf2\\w*|argon2\\w*|"
      + "aes(_\\d+)?(/\\w+/\\w+)?|sm4(/\\w+/\\w+)?|chacha20\\S*|poly1305|des|desede|3des|rsa(/\\w+/\\w+)?|"
      + "ec|ecdsa|ecdh|ecies|eddsa|ed25519|ed448|x25519|x448|xdh|dh|dsa|sm2|"
      + "secp\\d+[rk]1|prime256v1|sm2p256v1|p-(256|384|521)|curve25519|"
      + "sunx509|pkix|pkcs12|jks|x\\.?509)|(?-i:TLS|TLSv1(\\.[0-3])?|SSL|SSLv3)");
  private static final Pattern GET_INSTANCE = Pattern.compile("getInstance\\(\\s*\"");
  private static final Pattern BC_IMPORT = Pattern.compile("import\\s+(static\\s+)?org\\.bouncycastle\\.[\\w.]*?([A-Z]\\w*)");
  private static final Pattern ALGORITHM_CLASS = Pattern.compile(
      "(?i).*(ed25519|ed448|x25519|x448|sm2|sm3|sm4|sha\\d+|sha3|aes|chacha|poly1305|hmac|hkdf|argon2|blake|rsa|ecdsa).*");
  private static final Pattern RFC_PACKAGE = Pattern.compile("import\\s+(static\\s+)?org\\.bouncycastle\\.math\\.ec\\.rfc\\d+");
  private static final Pattern JDK_CONSTANT = Pattern.compile("\\b(NamedParameterSpec|MGF1ParameterSpec)\\.[A-Z]");
  private static final Pattern CORE_HELPER = Pattern.compile("\\bDigest\\.(sha256\\w*|newSha256)\\(");
  /** A content identifier (or the suite's hash itself) made under a suite named in code rather than the consortium's. */
  private static final Pattern FIXED_SUITE_IDENTIFIER = Pattern.compile("CryptoSuite\\.(INTL|SM)\\.(hash|newHash|hmac)\\(|"
      + "\\.(hash|digest|nonce|evidenceHash|schemaHash|spec|train)\\(\\s*(io\\.covenant\\.core\\.crypto\\.)?CryptoSuite\\.(INTL|SM)\\b");
  /**
   * Where a fixed suite is right, each for a reason: benchmarks run their own international consortium; the plaintext
   * baseline trains as a benchmark's reference; the EVM anchor records SHA-256 statement hashes (docs/crypto-suite.md).
   */
  private static final Pattern FIXED_SUITE_ALLOWED = Pattern.compile(".*(Benchmark\\.java|/bench/.*|PlaintextBaseline\\.java|/evm/EvmLedger\\.java)");

  /** Whether {@code line} makes a content identifier under a suite fixed in code (see {@link #FIXED_SUITE_ALLOWED}). */
  static boolean fixesTheSuite(String line) {
    return FIXED_SUITE_IDENTIFIER.matcher(line).find();
  }

  /** What is wrong with one source line (comments already removed), or nothing. */
  static List<String> problems(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = LITERAL.matcher(line);
    while (m.find()) {
      String text = m.group(1);
      if (ALGORITHM_NAME.matcher(text).matches()) out.add("names the algorithm \"" + text + "\"");
    }
    if (GET_INSTANCE.matcher(line).find()) out.add("asks the JCA for an algorithm by name");
    Matcher bc = BC_IMPORT.matcher(line);
    if (bc.find() && ALGORITHM_CLASS.matcher(bc.group(2)).matches()) out.add("imports BouncyCastle's " + bc.group(2));
    else if (RFC_PACKAGE.matcher(line).find()) out.add("imports a BouncyCastle algorithm package");
    if (JDK_CONSTANT.matcher(line).find()) out.add("names an algorithm through a JDK constant");
    Matcher h = CORE_HELPER.matcher(line);
    if (h.find()) out.add("calls core's algorithm-named Digest." + h.group(1) + " (use the suite's hash or a FixedAlgorithms member)");
    return out;
  }

  @Test
  void noOtherModuleNamesAnAlgorithm() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> found = new ArrayList<>();
    int files = 0;
    for (String module : MODULES) {
      Path src = root.resolve(module).resolve("src/main/java");
      assertTrue(Files.isDirectory(src), "expected the sources of " + module + " at " + src);
      List<Path> sources;
      try (Stream<Path> s = Files.walk(src)) {
        sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      }
      for (Path file : sources) {
        files++;
        String[] lines = withoutComments(Files.readString(file)).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          for (String p : problems(lines[i])) found.add(root.relativize(file) + ":" + (i + 1) + ": " + p + "  |  " + lines[i].strip());
        }
      }
    }
    assertTrue(files > 300, "the scan must see the other modules' sources, saw " + files + " files");
    assertEquals("", String.join("\n", found), found.size() + " place(s) outside core name an algorithm; route them through CryptoSuite or FixedAlgorithms");
  }

  @Test
  void contentIdentifiersFollowTheConsortiumsSuite() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> found = new ArrayList<>();
    for (String module : MODULES) {
      try (Stream<Path> s = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        for (Path file : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          if (FIXED_SUITE_ALLOWED.matcher(file.toString().replace('\\', '/')).matches()) continue;
          String[] lines = withoutComments(Files.readString(file)).split("\n", -1);
          for (int i = 0; i < lines.length; i++) {
            if (fixesTheSuite(lines[i])) found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
          }
        }
      }
    }
    assertEquals("", String.join("\n", found), found.size() + " place(s) make a content identifier under a suite fixed in code; take the "
        + "consortium's suite from a key, the job, the ledger entry or the deployment (docs/crypto-suite.md, \"Content identifiers\")");
    assertTrue(fixesTheSuite("Digest h = policy.hash(CryptoSuite.INTL);"));
    assertTrue(fixesTheSuite("x = io.covenant.core.crypto.CryptoSuite.INTL.hash(sealed);"));
    assertTrue(fixesTheSuite("c.hash(io.covenant.core.crypto.CryptoSuite.SM)"));
    assertTrue(!fixesTheSuite("Digest h = policy.hash(suite); MerkleTree.of(CryptoSuite.INTL, leaves); this(key, CryptoSuite.INTL);"));
  }

  @Test
  void theRuleCatchesWhatItMust() {
    assertEquals(1, problems("MessageDigest md = MessageDigest.getInstance(x); String n = \"SHA-256\";").size());
    assertEquals(2, problems("Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\");").size());
    assertEquals(1, problems("new SecretKeySpec(key, \"AES\")").size());
    assertEquals(1, problems("Map.of(\"mhtype\", \"sha2-256\")").size());
    assertEquals(1, problems("CustomNamedCurves.getByName(\"secp256r1\")").size());
    assertEquals(1, problems("import org.bouncycastle.crypto.signers.Ed25519Signer;").size());
    assertEquals(1, problems("import org.bouncycastle.math.ec.rfc8032.Ed25519;").size());
    assertEquals(1, problems("g.initialize(NamedParameterSpec.X25519, random);").size());
    assertEquals(1, problems("Digest d = Digest.sha256(bytes);").size());
    assertEquals(1, problems("SSLContext.getInstance(PROTOCOL); x = \"TLSv1.3\";").size());
    // Prose and ordinary names are not algorithm names.
    assertEquals(List.of(), problems("throw new X(\"AES-GCM produced \" + n + \" bytes\");"));
    assertEquals(List.of(), problems("import org.bouncycastle.math.ec.ECPoint; String s = \"claims\"; suite.hash(b);"));
    assertEquals(List.of(), problems("Digest.of(bytes); Digest.parse(hex);"));
    assertEquals(List.of(), problems("name = \"desk\"; Json.obj(\"tls\", on); import org.bouncycastle.crypto.modes.GCMModeCipher;"));
  }

  @Test
  void commentsAreNotCode() {
    assertEquals("a\n b\nc \"/* kept */\" d", withoutComments("a /* x\n*/ b\nc \"/* kept */\" d // \"SHA-256\""));
  }

  /** The source with block and line comments removed (newlines kept, so line numbers stay); string literals untouched. */
  static String withoutComments(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        if (c == '"' && src.startsWith("\"\"\"", i)) {
          int end = src.indexOf("\"\"\"", i + 3);
          end = end < 0 ? n : end + 3;
          out.append(src, i, end);
          i = end;
          continue;
        }
        int j = i + 1;
        while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') j += src.charAt(j) == '\\' ? 2 : 1;
        j = Math.min(n, j + 1);
        out.append(src, i, j);
        i = j;
      } else if (src.startsWith("//", i)) {
        while (i < n && src.charAt(i) != '\n') i++;
      } else if (src.startsWith("/*", i)) {
        int end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        for (int k = i; k < end; k++) if (src.charAt(k) == '\n') out.append('\n');
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString().replaceAll("[ \\t]+\n", "\n").replaceAll("[ \\t]+$", "");
  }
}
