package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.tee.attestation.EnclaveImage;
import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two different computations in the same worker attest the same image measurement, the one an owner pins: the
 * measurement covers the code and the JVM, while the job itself is bound by the evidence's report data.
 */
class ImageMeasurementIsStableAcrossComputations {
  @Test
  void twoJobsAttestTheSameImage(@TempDir Path dir) {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      TeeWorker worker = new TeeWorker(world.consortium.provider, world.consortium.blockstore);
      TeeJob first = world.authorisedJob("SELECT age_band(age) AS band, COUNT(*) AS n FROM claims GROUP BY band");
      TeeJob second = world.authorisedJob("SELECT icd10_chapter(diagnosis) AS chapter, SUM(cost) AS total FROM claims GROUP BY chapter");
      assertNotEquals(first.request().id(), second.request().id());
      SealedResult a = worker.run(first);
      SealedResult b = worker.run(second);
      assertEquals(a.measurement(), b.measurement());
      assertEquals(EnclaveImage.current().total(), a.measurement());
    }
  }
}
