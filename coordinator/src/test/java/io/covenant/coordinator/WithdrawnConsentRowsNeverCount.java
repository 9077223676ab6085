package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.tee.compute.ResultTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows of data subjects who withdrew consent are left out inside the enclave: no query can count them. */
class WithdrawnConsentRowsNeverCount {
  @TempDir Path dir;
  private static final String SQL = "SELECT sex, COUNT(*) AS claims FROM claims GROUP BY sex";
  private static final int ROWS = 300;

  @Test
  void theCountDropsByExactlyTheWithdrawnRows() {
    var h = HospitalInsurerDemo.HOSPITALS.get(0);
    List<String> withdrawn = new ArrayList<>();
    try (RootAllocator a = new RootAllocator(); var batches = SyntheticClaims.generate(a, h.seed(), ROWS, h.costLevel(), ROWS)) {
      VarCharVector ids = (VarCharVector) batches.next().getVector("patient_id");
      for (int i = 0; i < 25; i++) withdrawn.add(new String(ids.get(i), StandardCharsets.US_ASCII));
    }
    try (SmallFederation f = new SmallFederation(dir, ROWS, true)) { // exact counts, so the drop can be counted
      long before = total(f, f.submit(SQL));
      var subjectKey = f.deployment.keystore(h.org()).kek().subjectKey(f.versions.get(0).dataset());
      List<String> digests = withdrawn.stream().map(subjectKey::digest).toList();
      f.deployment.owner(h.org()).publishPolicy(SmallFederation.exactPolicy(h.org(),
          "consent", Json.obj("subjectColumn", "patient_id", "excludedSubjects", digests)));
      long after = total(f, f.submit(SQL));
      assertEquals(before - withdrawn.size(), after);
    }
    // The catalogue stores the policy text: it must hold digests only, never a withdrawn subject's id.
    byte[] db = StoredBytes.under(dir.resolve("coordinator"));
    for (String id : withdrawn) {
      assertFalse(new String(db, StandardCharsets.ISO_8859_1).contains(id), "the coordinator's database holds subject id " + id);
    }
  }


  private static long total(SmallFederation f, JobOutcome o) {
    assertEquals(JobState.COMMITTED, o.state(), o.reasons().toString());
    ResultTable t = f.deployment.consumer(HospitalInsurerDemo.INSURER).result(o.job());
    int col = t.columns().indexOf("claims");
    return t.rows().stream().mapToLong(r -> ((Number) r.get(col)).longValue()).sum();
  }
}
