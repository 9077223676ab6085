package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The auditor's verifier stays small and separate (as a Certificate Transparency verifier is): every class in
 * {@code io.covenant.ledger.verify} refers only to the JDK ({@code java.*}), {@code core}, the ledger's value types
 * ({@code io.covenant.ledger.*} records and exceptions), and its merkle and segment packages. Never web3j, never the
 * embedded, EVM or anchoring code. Checked on the compiled class files' constant pools, so imports, fully qualified
 * names and signatures all count.
 */
class VerifierDependsOnCoreAlone {
  private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+);");

  static boolean allowed(String internalName) {
    if (internalName.startsWith("java/") || internalName.startsWith("io/covenant/core/")) return true;
    if (internalName.startsWith("io/covenant/ledger/verify/") || internalName.startsWith("io/covenant/ledger/merkle/")
        || internalName.startsWith("io/covenant/ledger/segment/")) {
      return true;
    }
    // The ledger's own value types live directly in io.covenant.ledger (no further package).
    return internalName.startsWith("io/covenant/ledger/") && internalName.indexOf('/', "io/covenant/ledger/".length()) < 0;
  }

  @Test
  void verifyPackageReferencesNothingElse() throws Exception {
    Path dir = classesOf(LedgerVerifier.class);
    List<Path> classes;
    try (Stream<Path> s = Files.list(dir)) {
      classes = s.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertTrue(classes.size() >= 5, "expected the verify package's classes in " + dir);
    Set<String> all = new TreeSet<>();
    Set<String> bad = new TreeSet<>();
    for (Path c : classes) {
      for (String ref : referencedTypes(c)) {
        all.add(ref);
        if (!allowed(ref)) bad.add(c.getFileName() + " -> " + ref.replace('/', '.'));
      }
    }
    // The scan must see what is really there, or it proves nothing.
    assertTrue(all.contains("io/covenant/ledger/merkle/MerkleTree"), "the scan did not find LedgerVerifier's use of MerkleTree: " + all);
    assertTrue(all.contains("io/covenant/core/crypto/VerifyingKey"), all.toString());
    assertEquals(Set.of(), bad, "the verifier must depend on core, java.* and the ledger's value/merkle/segment packages only");
  }

  @Test
  void theRuleRejectsWhatItMust() {
    assertTrue(allowed("io/covenant/ledger/LedgerEntry"));
    assertTrue(!allowed("org/web3j/protocol/Web3j"));
    assertTrue(!allowed("io/covenant/ledger/evm/EvmLedger"));
    assertTrue(!allowed("io/covenant/ledger/embedded/EmbeddedLedger"));
    assertTrue(!allowed("io/covenant/ledger/anchor/AnchoredLedger"));
  }

  private static Path classesOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(c.getPackageName().replace('.', '/'));
  }

  /** Every class named in the constant pool (JVMS 4.4): CONSTANT_Class entries and types inside descriptors. */
  static Set<String> referencedTypes(Path classFile) throws IOException {
    Set<String> out = new TreeSet<>();
    try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
      if (in.readInt() != 0xCAFEBABE) throw new IOException(classFile + " is not a class file");
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      int[] classIndex = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 7 -> classIndex[i] = in.readUnsignedShort();
          case 8, 16, 19, 20 -> in.readUnsignedShort();
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
        }
      }
      for (int i = 1; i < count; i++) {
        if (classIndex[i] != 0) {
          String name = utf8[classIndex[i]];
          Matcher m = TYPE_IN_DESCRIPTOR.matcher(name);
          if (name.startsWith("[")) {
            while (m.find()) out.add(m.group(1));
          } else {
            out.add(name);
          }
        }
        if (utf8[i] != null) {
          Matcher m = TYPE_IN_DESCRIPTOR.matcher(utf8[i]);
          while (m.find()) {
            // Only descriptor-shaped strings: a type name in a descriptor contains a package separator.
            if (m.group(1).contains("/")) out.add(m.group(1));
          }
        }
      }
    }
    return out;
  }
}
