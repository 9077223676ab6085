package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.job.Engine;
import io.covenant.ledger.LedgerEntry;
import io.covenant.tee.fixture.ThreeHospitals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An auditor, or anyone who can read the ledger or the worker's disk, learns identifiers, hashes and counts, and no
 * value from any dataset.
 */
class CuriousPartySeesNoPlaintext {
  @TempDir Path dir;

  private static Set<String> plaintextValues(ThreeHospitals world) {
    Set<String> values = new HashSet<>();
    for (Object[] r : world.allRows()) {
      values.add((String) r[0]); // patient id
      values.add((String) r[3]); // diagnosis code, e.g. E11.9
      if (r[4] != null) {
        values.add(Double.toString((Double) r[4]));
        values.add("%.2f".formatted((Double) r[4]));
      }
      values.add(((LocalDate) r[5]).toString());
    }
    return values;
  }

  @Test
  void theLedgerAndTheFilesOnDiskHoldNoValueFromTheDatasets() throws IOException {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      boolean duckdbSpillBefore = Files.exists(Path.of(".tmp"));
      TeeJob job = world.authorisedJob(
          "SELECT icd10_chapter(diagnosis) AS chapter, count(*) AS n, avg(cost) AS mean FROM claims GROUP BY chapter");
      SealedResult result = new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job);
      world.consortium.append(world.consortium.coordinator, new AuditEvent.ResultCommitted(
          job.request().id(), result.resultHash(), Engine.TEE, Optional.of(result.measurement()), result.simulated(),
          result.inputManifests(), result.rows(), result.suppressedGroups()));

      Set<String> secrets = plaintextValues(world);
      List<LedgerEntry> entries = world.consortium.ledger.entries(0, world.consortium.ledger.size());
      assertTrue(entries.size() > 15);
      StringBuilder ledgerText = new StringBuilder();
      for (LedgerEntry e : entries) ledgerText.append(e.toJson().encode()).append('\n');
      for (String s : secrets) assertFalse(ledgerText.toString().contains(s), "the ledger contains the plaintext value " + s);

      // Ledger segments, checkpoints and every encrypted block the worker read: nothing readable there either.
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          for (String s : secrets) assertFalse(content.contains(s), f + " contains the plaintext value " + s);
        }
      }
      assertTrue(duckdbSpillBefore || !Files.exists(Path.of(".tmp")), "the enclave database spilled to disk");
    }
  }
}
