package io.covenant.node.fljob;

import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.job.JobRequest;
import io.covenant.mpc.fl.FlJobSpec;
import io.covenant.mpc.fl.FlRoster;
import io.covenant.mpc.fl.model.ModelKind;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * What the coordinator asks of a hospital's node for a federated job ({@code engine=fl}), in two steps: {@link Prepare}
 * (here is the job, the policies it was authorised under and the roster: check it against the ledger, decide on your
 * own data, read it) and {@link Run} (the aggregator listens on this port of the coordinator's host: connect and
 * train). The node believes none of it without its own verified mirror of the ledger.
 */
public final class FlJobRequest {
  private FlJobRequest() {}

  public static final String PREPARE = "/v1/fl-jobs/prepare";
  public static final String RUN = "/v1/fl-jobs/run";

  /** Step 1: the job as submitted, each input policy's JSON text, and the roster (aggregator, hospitals in order). */
  public record Prepare(JobRequest job, List<String> policies, FlRoster roster) {
    public Prepare {
      if (job == null || policies == null || roster == null) throw new MalformedInputException("a federated job needs the job, its policies and its roster");
      policies = List.copyOf(policies);
    }

    public Json.JObject toJson() {
      return Json.obj("job", job.toJson(), "policies", policies, "aggregator", roster.aggregator().value(),
          "hospitals", roster.hospitals().stream().map(OrgId::value).toList());
    }

    public static Prepare fromJson(Json.JObject o) {
      return new Prepare(JobRequest.fromJson(o.object("job")), o.strings("policies"),
          new FlRoster(new OrgId(o.string("aggregator")), o.strings("hospitals").stream().map(OrgId::new).toList()));
    }
  }

  /**
   * Step 2: the port the aggregator's peer-link listener took. The node dials it on the host of the coordinator it is
   * configured with, and checks the certificate there names the aggregator: an address alone proves nothing.
   */
  public record Run(JobId job, int aggregatorPort) {
    public Run {
      if (job == null) throw new MalformedInputException("a federated run names its job");
      if (aggregatorPort < 1 || aggregatorPort > 65535) throw new MalformedInputException("the aggregator's port " + aggregatorPort + " is not 1 to 65535");
    }

    public Json.JObject toJson() {
      return Json.obj("job", job.value(), "aggregatorPort", (long) aggregatorPort);
    }

    public static Run fromJson(Json.JObject o) {
      return new Run(new JobId(o.string("job")), (int) Math.clamp(o.number("aggregatorPort"), 0, 65536));
    }
  }

  /**
   * The engine's parameters of a federated computation, as every party derives them: the same computation gives the
   * same spec, and the seed (initial model, shuffles) comes from the job id, so no party chooses it alone. The digests
   * are made under the consortium's {@code suite}.
   */
  public static FlJobSpec spec(io.covenant.core.crypto.CryptoSuite suite, JobId job, Computation.FederatedTraining f) {
    ModelKind kind = Computation.FederatedTraining.MLP.equals(f.model()) ? new ModelKind.OneHiddenLayerMlp(f.hiddenUnits()) : new ModelKind.LogisticRegression();
    long seed = ByteBuffer.wrap(FixedAlgorithms.publicFingerprint().digest(job.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))).getLong();
    return new FlJobSpec(f.rounds(), f.localEpochs(), f.batchSize(), f.learningRate().doubleValue(), f.proximalMu().doubleValue(), kind,
        f.clippingNorm().doubleValue(), f.noiseMultiplier().doubleValue(), f.delta().doubleValue(), f.dropoutTolerance().doubleValue(), true, seed, suite);
  }
}
