package io.covenant.coordinator.dispatch;

import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Ledger;
import io.covenant.tee.compute.InputDataset;
import io.covenant.tee.compute.SealedResult;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.compute.TeeWorker;
import io.covenant.core.keyrelease.KeyService;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs jobs in the TEE worker. Each input's key comes from its owner's key service, which decides for itself
 * (attestation + ledger + policy); the coordinator only tells the worker where to ask.
 */
public final class TeeComputeEngine implements ComputeEngine {
  private final TeeWorker worker;
  private final Measurement measurement;
  private final boolean simulated;
  private final Function<OrgId, KeyService> keyServices;
  private final Ledger ledger;

  /** {@code simulated} says whether {@code worker}'s attestation provider is the simulation one. */
  public TeeComputeEngine(TeeWorker worker, Measurement measurement, boolean simulated, Function<OrgId, KeyService> keyServices, Ledger ledger) {
    this.worker = worker;
    this.measurement = measurement;
    this.simulated = simulated;
    this.keyServices = keyServices;
    this.ledger = ledger;
  }

  @Override
  public Engine engine() {
    return Engine.TEE;
  }

  @Override
  public Optional<Measurement> measurement() {
    return Optional.of(measurement);
  }

  @Override
  public boolean simulated() {
    return simulated;
  }

  @Override
  public EngineRun run(AuthorizedJob job) {
    List<InputDataset> inputs = job.inputs().stream()
        .map(d -> new InputDataset(d.version(), d.manifest(), ownerKey(d.version().owner()), keyServices.apply(d.version().owner()),
            job.policies().stream().filter(p -> p.dataset().equals(d.version().dataset())).findFirst()
                .orElseThrow(() -> new CovenantException("job " + job.request().id() + " was authorised without a policy for " + d.version()))))
        .toList();
    SealedResult r = worker.run(new TeeJob(job.request(), inputs, job.consumerKey(), io.covenant.ledger.Authorisations.of(ledger, job.request().id())));
    if (r.simulated() && !simulated) {
      // COMPUTATION_STARTED already said "not simulated"; a result from simulated evidence must not be committed under it.
      throw new CovenantException("the worker attested with simulated evidence, but this engine was configured as running on hardware; "
          + "configure the deployment's engine as simulated or run the worker on a TEE");
    }
    return new EngineRun(
        r.sealed(), r.resultHash(), Optional.of(r.measurement()), r.simulated(), r.inputManifests(), r.rows(), r.suppressedGroups(), r.modelHash());
  }

  private VerifyingKey ownerKey(OrgId owner) {
    return ledger.organisation(owner)
        .orElseThrow(() -> new CovenantException("data owner " + owner + " is not registered on the ledger"))
        .signingKey();
  }
}
