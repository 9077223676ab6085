package io.covenant.coordinator.cli;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code verify --data-dir} recomputes beyond the ledger: the policy hashes of POLICY_PUBLISHED, from the policy
 * texts the data directory's owners keep ({@code orgs/<org>/policies/*.json}). The ledger alone records identifiers
 * without their contents; with the texts, an identifier made with another hash than the consortium's (a SHA-256
 * policy hash on an SM3 ledger, or the reverse) is named at its entry. Reads files only; creates nothing.
 */
final class RecomputedIdentifiers {
  private RecomputedIdentifiers() {}

  /**
   * The first POLICY_PUBLISHED whose hash is the other suite's hash of a policy text its owner keeps in {@code dataDir},
   * as a failure to print; empty when there is none (or the directory keeps no texts).
   */
  static Optional<String> firstMadeWithAnotherSuite(Path dataDir, List<LedgerEntry> entries, CryptoSuite suite) {
    java.util.Map<String, List<Policy>> keptByOwner = new java.util.HashMap<>();
    for (LedgerEntry e : entries) {
      if (!(e.event().event() instanceof AuditEvent.PolicyPublished p)) continue;
      for (Policy kept : keptByOwner.computeIfAbsent(p.dataset().owner().value(), o -> keptPolicies(dataDir, o))) {
        if (!kept.dataset().equals(p.dataset())) continue;
        for (CryptoSuite other : CryptoSuite.all()) {
          if (other == suite || !kept.hash(other).equals(p.policyHash())) continue;
          Digest right = kept.hash(suite);
          return Optional.of("entry " + e.index() + " (POLICY_PUBLISHED): it records policy " + p.policyId() + " of " + p.dataset() + " by its "
              + other.hashAlgorithm() + " " + p.policyHash().shortForm() + "…, but the consortium runs on " + suite.id() + ": its " + suite.hashAlgorithm()
              + " is " + right.shortForm() + "… (recomputed from the text " + p.dataset().owner() + " keeps); an identifier made with another suite names nothing");
        }
      }
    }
    return Optional.empty();
  }

  private static List<Policy> keptPolicies(Path dataDir, String owner) {
    Path dir = dataDir.resolve("orgs").resolve(owner).resolve("policies");
    if (!Files.isDirectory(dir)) return List.of();
    List<Policy> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        out.add(Policy.parse(Files.readString(f, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new CovenantException("cannot read the policy texts in " + dir + " (" + e.getMessage() + "); check the folder's permissions");
    }
    return out;
  }
}
