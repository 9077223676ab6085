package io.covenant.tee.training;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.event.EventType;
import io.covenant.core.job.Computation;
import io.covenant.tee.compute.OutputControlException;
import io.covenant.tee.compute.QueryRefusedException;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.compute.TeeWorker;
import java.math.BigDecimal;
import java.util.List;
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
    assertTrue(e.getMessage().contains("fewer rows than the inputs' policies allow a model to learn from (20"), e.getMessage());
  }

  @Test
  void anInputWhosePolicyDoesNotAllowTrainingIsRefusedByTheEnclaveItself() {
    // Whatever the coordinator decided: the enclave reads the policy each owner released under.
    var insurer = world.consortium.owners.get(world.policies.owner());
    world.consortium.publishPolicy(insurer, world.policies.dataset(), 20);
    String m = refusal(ClaimsAndPolicies.FEATURE_SQL, "lapsed");
    assertTrue(m.contains("does not allow model training"), m);
  }

  @Test
  void anInputUnderAPrivacyBudgetIsRefusedByTheEnclaveItself() {
    var insurer = world.consortium.owners.get(world.policies.owner());
    var p = world.consortium.owners.get(world.policies.owner()).policies.get(world.policies.dataset());
    world.consortium.publishPolicy(insurer, new io.covenant.policy.Policy(p.id() + "-budget", p.dataset(), p.assignees(), p.purposes(), p.engines(),
        p.tee(), p.validFrom(), p.validUntil(), p.minCohort(), p.columns(), p.defaultColumnRule(), p.approval(), p.maxUses(), p.obligations(),
        p.consent(), java.util.Optional.of(new io.covenant.policy.Policy.PrivacyBudget(BigDecimal.ONE, BigDecimal.TEN)), p.release(), p.training()));
    String m = refusal(ClaimsAndPolicies.FEATURE_SQL, "lapsed");
    assertTrue(m.contains("sets a privacy budget, and a trained model is not differentially private"), m);
  }

  @Test
  void theLargestTrainingMinRowsOfTheInputsApplies() {
    var insurer = world.consortium.owners.get(world.policies.owner());
    world.consortium.publishTrainingPolicy(insurer, world.policies.dataset(), 20, List.of("premium", "lapsed"), 100_000);
    TeeJob job = world.authorisedJob(ClaimsAndPolicies.spec());
    var e = assertThrows(OutputControlException.class, () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).train(job));
    assertTrue(e.getMessage().contains("(100000, the largest training.minRows)"), e.getMessage());
  }
}
