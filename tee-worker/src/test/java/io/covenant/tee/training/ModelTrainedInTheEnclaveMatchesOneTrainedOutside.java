package io.covenant.tee.training;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.error.IntegrityException;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.compute.SealedModel;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.compute.TeeWorker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient-boosted trees trained in the worker on the decrypted join of a hospital's claims and an insurer's policies
 * are byte for byte the model XGBoost trains on the same join computed in plain Java: the worker trains on exactly
 * the joined rows, and only the sealed model (with its hash and training metric) comes out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelTrainedInTheEnclaveMatchesOneTrainedOutside {
  private ClaimsAndPolicies world;
  private TeeJob job;
  private SealedModel sealed;

  @BeforeAll
  void train(@TempDir Path dir) {
    world = new ClaimsAndPolicies(dir, 3_000, 20);
    job = world.authorisedJob(ClaimsAndPolicies.spec());
    sealed = new TeeWorker(world.consortium.provider, world.consortium.blockstore).train(job);
  }

  @AfterAll
  void close() {
    world.close();
  }

  @Test
  void theSealedModelIsTheModelTrainedOnThePlainJoin() {
    TrainedModel inside = TrainedModel.open(sealed.result().sealed(), world.consortium.consumerKeys(), job.request().id());
    FeatureTable plain = world.plainJoin();
    assertTrue(plain.rows() > 2_000 && plain.rows() < 3_000, "the join drops the patients without a policy: " + plain.rows());
    TrainedModel outside = XgboostTraining.train(io.covenant.core.crypto.CryptoSuite.INTL, plain, ClaimsAndPolicies.spec());
    assertEquals(outside.modelHash(), inside.modelHash());
    assertEquals(outside, inside);
    assertEquals(plain.rows(), inside.rows());
    assertEquals(java.util.List.of("age", "female", "cost", "premium"), inside.features());
    assertTrue(inside.metric() > 0 && inside.metric() < 0.69, "the model learned something: logloss " + inside.metric());
  }

  @Test
  void theResultCarriesTheModelHashAndTheAttestedImage() {
    assertEquals(Digest.sha256(sealed.result().sealed()), sealed.result().resultHash());
    TrainedModel inside = TrainedModel.open(sealed.result().sealed(), world.consortium.consumerKeys(), job.request().id());
    assertEquals(Digest.sha256(inside.model()), sealed.modelHash());
    assertEquals(SimulatedAttestationProvider.codeMeasurement(), sealed.result().measurement());
    assertTrue(sealed.result().simulated());
    assertEquals(0, sealed.result().suppressedGroups());
  }

  @Test
  void onlyTheConsumerOpensTheModel() {
    assertThrows(IntegrityException.class, () -> TrainedModel.open(sealed.result().sealed(), HpkeKeyPair.generate(), job.request().id()));
  }

  /**
   * Logistic regression (XGBoost's linear booster with the logistic objective) in the enclave: the same model, byte for
   * byte, as outside, and a linear model, not trees.
   */
  @Test
  void aLogisticRegressionTrainedInTheEnclaveIsTheOneTrainedOnThePlainJoin() {
    var trees = ClaimsAndPolicies.spec();
    var linear = new io.covenant.core.job.Computation.ModelTraining(trees.featureSql(), trees.label(), trees.objective(), 30, 1,
        new java.math.BigDecimal("0.5"), io.covenant.core.job.Computation.ModelTraining.Learner.LINEAR);
    TeeJob linearJob = world.authorisedJob(linear);
    SealedModel sealedLinear = new TeeWorker(world.consortium.provider, world.consortium.blockstore).train(linearJob);
    TrainedModel inside = TrainedModel.open(sealedLinear.result().sealed(), world.consortium.consumerKeys(), linearJob.request().id());
    TrainedModel outside = XgboostTraining.train(io.covenant.core.crypto.CryptoSuite.INTL, world.plainJoin(), linear);
    assertEquals(outside, inside);
    String model = new String(inside.model(), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(model.contains("gblinear") && !model.contains("gbtree"), "a linear model, not trees");
    assertTrue(inside.metric() > 0 && inside.metric() < 0.69, "the model learned something: logloss " + inside.metric());
    assertEquals("linear-model", linear.toJson().string("kind"));
    assertEquals(linear, io.covenant.core.job.Computation.fromJson(linear.toJson()));
  }
}
