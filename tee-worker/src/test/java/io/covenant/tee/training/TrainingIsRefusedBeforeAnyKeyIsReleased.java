package io.covenant.tee.training;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.event.EventType;
import io.covenant.core.job.Computation;
import io.covenant.tee.compute.OutputControlException;
import io.covenant.tee.compute.QueryRefusedException;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.compute.TeeWorker;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training whose feature query is not a plain read of the job's tables, or whose label or features are unusable,
 * is refused with its reason before any owner releases a key; a training table below the minimum cohort releases no
 * model.
 */
class TrainingIsRefusedBeforeAnyKeyIsReleased {
  private ClaimsAndPolicies world;

  @BeforeEach
  void world(@TempDir Path dir) {
    world = new ClaimsAndPolicies(dir, 300, 20);
  }

  @AfterEach
  void close() {
    world.close();
  }

  private String refusal(String featureSql, String label) {
    TeeJob job = world.authorisedJob(new Computation.ModelTraining(featureSql, label, Computation.ModelTraining.BINARY_LOGISTIC, 5, 3, new BigDecimal("0.3")));
    var e = assertThrows(QueryRefusedException.class, () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).train(job));
    long released = world.consortium.ledger.entriesForJob(job.request().id()).stream()
        .filter(x -> x.event().event().type() == EventType.KEY_RELEASED).count();
    assertEquals(0, released, "no key may be released for a refused training");
    return e.getMessage();
  }

  @Test
  void aLabelThatIsNotAColumnIsRefused() {
    String m = refusal("SELECT age, cost FROM claims", "lapsed");
    assertTrue(m.contains("no column 'lapsed' to use as the label"), m);
  }

  @Test
  void aTextFeatureIsRefused() {
    String m = refusal("SELECT c.diagnosis, p.lapsed FROM claims c JOIN policies p ON c.patient_id = p.patient_id", "lapsed");
    assertTrue(m.contains("column 'diagnosis' is string, not a number"), m);
  }

  @Test
  void aStatementOtherThanSelectIsRefused() {
    String m = refusal("COPY claims TO 'out.csv'", "lapsed");
    assertTrue(m.contains("must be a SELECT") || m.contains("is not one SQL SELECT"), m);
  }

  @Test
  void aQueryReadingAnotherTableIsRefused() {
    String m = refusal("SELECT age, lapsed FROM claims c JOIN read_csv('x.csv') p ON true", "lapsed");
    assertTrue(m.contains("not valid for the job's tables") || m.contains("which is not one of the job's tables"), m);
  }

  @Test
  void aTrainingTableBelowTheMinimumCohortReleasesNoModel() {
    TeeJob job = world.authorisedJob(new Computation.ModelTraining(
        ClaimsAndPolicies.FEATURE_SQL.replace("ORDER BY", "WHERE c.age > 100 ORDER BY"), "lapsed", Computation.ModelTraining.BINARY_LOGISTIC, 5, 3,
        new BigDecimal("0.3")));
    var e = assertThrows(OutputControlException.class, () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).train(job));
    assertTrue(e.getMessage().contains("fewer rows than the minimum cohort (20)"), e.getMessage());
  }
}
