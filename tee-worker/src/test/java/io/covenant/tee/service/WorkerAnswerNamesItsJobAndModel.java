package io.covenant.tee.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.tee.compute.SealedResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worker's answer over HTTP names the job and computation it was computed for, and a trained model's hash: the
 * coordinator reads back exactly what the worker sealed (model hash included), and refuses an answer for another job
 * or another computation with {@link ResultForAnotherJobException} before anything is committed.
 */
class WorkerAnswerNamesItsJobAndModel {
  private static final Computation TRAINING = new Computation.ModelTraining("SELECT age, lapsed FROM claims", "lapsed",
      Computation.ModelTraining.BINARY_LOGISTIC, 5, 3, new BigDecimal("0.3"));

  private static JobRequest request(Computation c) {
    return new JobRequest(JobId.random(), OrgId.of("insurer-x"), List.of(DatasetVersion.parse("hospital-a/claims@1")), Engine.TEE,
        new Purpose("risk-model"), c);
  }

  private static WorkerJob dispatched(JobRequest r) {
    return new WorkerJob(r, HpkeKeyPair.generate().publicKey(), List.of());
  }

  private static SealedResult result(Optional<Digest> model) {
    byte[] sealed = "sealed model bytes".getBytes();
    return new SealedResult(sealed, Digest.sha256(sealed), 120, 0, new Measurement("ab".repeat(48)), true,
        List.of(Cid.raw("manifest".getBytes())), model);
  }

  @Test
  void theModelHashTravelsWithTheResult() {
    JobRequest r = request(TRAINING);
    SealedResult sent = result(Optional.of(Digest.sha256("model".getBytes())));
    Json.JObject answer = Json.parseObject(WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, r, sent).encode());
    assertEquals(sent, WorkerServer.resultFromJson(dispatched(r), answer));
    SealedResult table = result(Optional.empty());
    assertEquals(table, WorkerServer.resultFromJson(dispatched(r), WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, r, table)));
  }

  @Test
  void anAnswerForAnotherJobOrComputationIsRefused() {
    JobRequest r = request(TRAINING);
    JobRequest other = request(TRAINING);
    var e = assertThrows(ResultForAnotherJobException.class,
        () -> WorkerServer.resultFromJson(dispatched(r), WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, other, result(Optional.empty()))));
    assertTrue(e.getMessage().contains("answered job " + r.id()) && e.getMessage().contains("with a result for job " + other.id()), e.getMessage());
    JobRequest sameIdOtherSpec = new JobRequest(r.id(), r.consumer(), r.datasets(), r.engine(), r.purpose(), new Computation.SqlQuery("SELECT count(*) FROM claims"));
    assertThrows(ResultForAnotherJobException.class,
        () -> WorkerServer.resultFromJson(dispatched(r), WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, sameIdOtherSpec, result(Optional.empty()))));
    Json.JObject unnamed = new Json.JObject(new java.util.TreeMap<>(WorkerServer.resultJson(io.covenant.core.crypto.CryptoSuite.INTL, r, result(Optional.empty())).members()) {
      {
        remove("job");
      }
    });
    assertThrows(ResultForAnotherJobException.class, () -> WorkerServer.resultFromJson(dispatched(r), unnamed), "an answer that names no job is refused");
  }
}
