package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.EventType;
import io.covenant.core.job.Engine;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The full path: three owners' encrypted datasets, attested key release, SQL in the enclave, a sealed result. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeHospitalsStatisticsMatchAPlainComputation {
  private static final String SQL = """
      SELECT age_band(age) AS band, icd10_chapter(diagnosis) AS chapter,
             COUNT(*) AS claims, SUM(cost) AS total_cost, AVG(cost) AS mean_cost
      FROM claims
      GROUP BY band, chapter
      ORDER BY band, chapter""";

  private Path dir;
  private ThreeHospitals world;
  private TeeJob job;
  private SealedResult result;

  @BeforeAll
  void runTheJob(@TempDir Path dir) {
    this.dir = dir;
    world = new ThreeHospitals(dir);
    job = world.authorisedJob(SQL);
    result = new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job);
  }

  @AfterAll
  void close() {
    world.close();
  }

  /** What the query computes, in plain Java over the plaintext rows. */
  private record Group(long count, double total, long costs) {}

  private Map<List<String>, Group> plainGroups() {
    Map<List<String>, Group> groups = new TreeMap<>((x, y) -> (x.get(0) + "|" + x.get(1)).compareTo(y.get(0) + "|" + y.get(1)));
    for (Object[] r : world.allRows()) {
      List<String> key = List.of(Claims.ageBand((Long) r[1]), Claims.CHAPTER_OF.get((String) r[3]));
      Group g = groups.getOrDefault(key, new Group(0, 0, 0));
      Double cost = (Double) r[4];
      groups.put(key, new Group(g.count + 1, g.total + (cost == null ? 0 : cost), g.costs + (cost == null ? 0 : 1)));
    }
    return groups;
  }

  @Test
  void theConsumerOpensGroupsThatEqualThePlainComputation() {
    ResultTable table = ResultTable.open(result.sealed(), world.consortium.consumerKeys(), job.request().id());
    assertEquals(List.of("band", "chapter", "claims", "total_cost", "mean_cost"), table.columns());

    Map<List<String>, Group> expected = plainGroups();
    long small = expected.values().stream().filter(g -> g.count < world.minCohort).count();
    assertTrue(small > 0 && small < expected.size(), "the data must have both small and large groups for this test to mean anything");
    assertEquals(small, result.suppressedGroups());
    assertEquals(expected.size() - small, table.rows().size());
    assertEquals(table.rows().size(), result.rows());

    for (List<Object> row : table.rows()) {
      Group g = expected.get(List.of((String) row.get(0), (String) row.get(1)));
      assertTrue(g != null, "unexpected group " + row.subList(0, 2));
      assertTrue(g.count >= world.minCohort, "group " + row.subList(0, 2) + " of " + g.count + " should have been suppressed");
      assertEquals(g.count, row.get(2));
      assertEquals(g.total, (Double) row.get(3), 1e-6 * g.total);
      assertEquals(g.total / g.costs, (Double) row.get(4), 1e-9 * g.total);
    }
    assertTrue(table.render().lines().count() == table.rows().size() + 2);
  }

  @Test
  void theSealedResultDescribesItselfForTheLedger() {
    assertEquals(Digest.sha256(result.sealed()), result.resultHash());
    assertEquals(SimulatedAttestationProvider.codeMeasurement(), result.measurement());
    assertTrue(result.simulated());
    assertEquals(job.inputs().stream().map(InputDataset::manifestCid).toList(), result.inputManifests());
  }

  @Test
  void anotherConsumerCannotOpenTheResult() {
    assertThrows(IntegrityException.class, () -> ResultTable.open(result.sealed(), HpkeKeyPair.generate(), job.request().id()));
  }

  @Test
  void eachOwnerRecordedItsKeyReleaseAndTheLedgerStaysLawful() {
    List<LedgerEntry> events = world.consortium.ledger.entriesForJob(job.request().id());
    for (var owner : world.consortium.owners.values()) {
      assertEquals(1, events.stream()
          .filter(e -> e.event().actor().equals(owner.org()) && e.event().event().type() == EventType.KEY_RELEASED)
          .count(), owner.org() + " released its key once");
    }
    world.consortium.append(world.consortium.coordinator, new AuditEvent.ResultCommitted(
        job.request().id(), result.resultHash(), Engine.TEE, Optional.of(result.measurement()), result.simulated(),
        result.inputManifests(), result.rows(), result.suppressedGroups()));
    Path export = dir.resolve("ledger-export.jsonl");
    world.consortium.ledger.export(export);
    VerificationReport report = LedgerVerifier.verify(LedgerExport.read(export));
    assertTrue(report.ok(), report.toString());
  }
}
