package io.covenant.coordinator.vehicles;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.dispatch.AuthorizedJob;
import io.covenant.coordinator.dispatch.ComputeEngine;
import io.covenant.coordinator.dispatch.EngineRun;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.CiphertextRecorded;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.LedgerEntry;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.HeMessages;
import io.covenant.mpc.he.HeParameters;
import io.covenant.mpc.he.Precision;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringOwner;
import io.covenant.mpc.he.ScoringPolicy;
import io.covenant.node.hejob.HeConsumerModels;
import io.covenant.node.hejob.NodeSidecar;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.policy.Policy;
import io.covenant.storage.telemetry.TelemetryIngest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HE route of the vehicle scenario on the embedded deployment ({@code engine=he}, computation {@code he-score} over
 * a maker's telemetry): the insurer's private pricing model is applied to the consenting vehicles' features without the
 * maker seeing the model and without the insurer seeing the features.
 *
 * <p>Who encrypts what (docs/vehicles.md, "The HE route"): the insurer makes a CKKS key pair for the job in its own SEAL
 * sidecar, encrypts its weights and bias under it ({@link ScoringConsumer}, one ciphertext per weight) and records the
 * encrypted model's hash (CIPHERTEXT_RECORDED, role model). The maker's side receives only those bytes (with the job and
 * its dataset's manifest; the policy is its own record), checks them against the insurer's record, decides on its own data ({@link
 * OwnerKeyService#authoriseOwnUse}), decrypts its telemetry in its own process, drops the rows of every vehicle the
 * licence policy lists as withdrawn, sums each remaining vehicle's {@link UbiFeatures}, evaluates the encrypted model on
 * them in its own SEAL sidecar ({@link ScoringOwner}: plaintext-ciphertext products, no key) and records the encrypted
 * scores' hash (role scores), which RESULT_COMMITTED must equal. Only the insurer's sidecar holds the secret key; it
 * opens the scores after checking them against the ledger ({@link #open}). The pseudonyms of the scored vehicles, in
 * row order, are what the maker hands the insurer with the result, as the TEE route's result table names them.
 *
 * <p>Each organisation has its own sidecar process here, so the insurer's secret key and the maker's features never
 * share a process; the two sides still share this JVM (the embedded deployment). The same parts across node processes
 * are {@code node.hejob.HeJobService} and {@code RemoteHeEngine}, which score rows, not vehicles.
 */
public final class UbiHeEngine implements ComputeEngine, AutoCloseable {
  private final LocalDeployment deployment;
  private final Map<OrgId, NodeSidecar> sidecars = new ConcurrentHashMap<>();
  private final Map<JobId, InsurerJob> insurerJobs = new ConcurrentHashMap<>();

  /** The insurer's state of one job: its key (in its sidecar) and the encrypted model it sent. */
  private record InsurerJob(ScoringConsumer consumer, EncryptedModel sent) {}

  public UbiHeEngine(LocalDeployment deployment) {
    this.deployment = deployment;
  }

  @Override
  public Engine engine() {
    return Engine.HE;
  }

  @Override
  public Optional<Measurement> measurement() {
    return Optional.empty();
  }

  @Override
  public boolean simulated() {
    return false;
  }

  /** Where the insurer keeps its pricing models: its own folder, owner-only files ({@link HeConsumerModels}). */
  public static HeConsumerModels models(Path dataDir, OrgId insurer) {
    return new HeConsumerModels(dataDir.resolve("orgs").resolve(insurer.value()).resolve("he-models"));
  }

  @Override
  public EngineRun run(AuthorizedJob job) {
    JobRequest request = job.request();
    if (job.suite().isNational()) {
      // Its object digests are bound into its messages as SHA-256 (FixedAlgorithms.heObjectDigest); an SM3 ledger must not record them.
      throw new CovenantException("the he engine runs in international consortia only: its ciphertext and key digests are SHA-256, bound into "
          + "its own messages, and job " + job.request().id() + " is on a national (sm) ledger; run it on the tee or mpc engine");
    }
    if (!(request.computation() instanceof Computation.HeScore score)) {
      throw new CovenantException("the embedded deployment's he engine runs he-score on a maker's vehicle telemetry; job " + request.id() + " asks for "
          + request.computation().toJson().string("kind") + ". Run other he jobs with every organisation in its own process ('./covenant demo he')");
    }
    if (job.inputs().size() != 1 || !job.inputs().getFirst().version().dataset().name().equals(VehicleMaker.DATASET)
        || !job.inputs().getFirst().schema().equals(TelemetryIngest.SCHEMA)) {
      throw new CovenantException("the embedded deployment's he engine scores one maker's '" + VehicleMaker.DATASET + "' dataset; job " + request.id() + " names "
          + request.datasets() + ". Run other he jobs with every organisation in its own process ('./covenant demo he')");
    }
    if (!score.features().equals(UbiFeatures.SOURCE_COLUMNS) || !Computation.HeScore.LINEAR.equals(score.link())) {
      throw new CovenantException("a vehicle pricing job is a linear he-score over " + UbiFeatures.SOURCE_COLUMNS + " (the columns of the features "
          + UbiFeatures.NAMES + "); job " + request.id() + " names " + score.features() + " with a " + score.link() + " link");
    }
    DatasetRecord input = job.inputs().getFirst();
    byte[] model = encryptModel(request, score.model());
    // Everything that crosses to the maker's side: the job, its manifest, the encrypted model (the policy is the maker's own record).
    MakerScored scored;
    try {
      scored = makerScores(request, input.version(), input.manifest(), model);
    } catch (RuntimeException e) {
      // The job failed: the insurer's key for it is of no further use.
      InsurerJob dropped = insurerJobs.remove(request.id());
      if (dropped != null) dropped.consumer().close();
      throw e;
    }
    return new EngineRun(scored.message(), scored.digest(), Optional.empty(), false, List.of(input.manifest()), scored.vehicles().size(), 0);
  }

  // ---- the insurer's side -----------------------------------------------------------------------------------------

  /** The insurer makes its key for the job, encrypts its model under it and records the encrypted model's hash. */
  private byte[] encryptModel(JobRequest request, String modelName) {
    OrgId insurer = request.consumer();
    if (insurerJobs.containsKey(request.id())) throw new CovenantException(insurer + " already made its key for job " + request.id() + "; a job runs once");
    HeConsumerModels.Stored stored = models(deployment.dataDir(), insurer).load(modelName, Computation.HeScore.LINEAR);
    UbiPricingModel model = new UbiPricingModel(modelName, stored.model().weights(), stored.model().bias());
    double[][] probes = UbiPricingModel.probes();
    double magnitude = 1;
    for (double[] row : probes) magnitude = Math.max(magnitude, java.util.Arrays.stream(row).map(Math::abs).sum());
    ScoringConsumer consumer = new ScoringConsumer(sidecar(insurer).get(), HeParameters.CKKS_SCORING, model.scoring(), probes, ScoringConsumer.DEFAULT_BOUND * magnitude);
    EncryptedModel sent;
    try {
      sent = consumer.encryptModel();
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    insurerJobs.put(request.id(), new InsurerJob(consumer, sent));
    sign(insurer, new CiphertextRecorded(request.id(), CiphertextRecorded.Role.MODEL, Optional.empty(), sent.digest(), 0));
    return HeMessages.model(sent);
  }

  /** An insurer's opened result: each scored vehicle's pseudonym and risk score, and the precision reached. */
  public record PricedVehicles(JobId job, List<String> vehicles, double[] scores, Precision precision, Digest resultHash) {
    @Override
    public double[] scores() {
      return scores.clone();
    }
  }

  /**
   * The insurer opens its job's result as the coordinator stored it: it must hash to the RESULT_COMMITTED on the ledger
   * and to the maker's record of its encrypted scores, be under this job's key, and its probe rows must decrypt within
   * the stated precision. Then the insurer's key for the job is forgotten.
   */
  public PricedVehicles open(JobId job) {
    InsurerJob state = insurerJobs.get(job);
    if (state == null) {
      throw new CovenantException("the insurer holds no key of job " + job + ": keys live only as long as the process that ran the job; submit it again");
    }
    try {
      Digest committed = null, makerRecord = null;
      OrgId maker = null;
      for (LedgerEntry e : deployment.ledger().entriesForJob(job)) {
        if (e.event().event() instanceof AuditEvent.ResultCommitted r) committed = r.resultHash();
        if (e.event().event() instanceof CiphertextRecorded c && c.role() == CiphertextRecorded.Role.SCORES && c.dataset().isPresent()
            && e.event().actor().equals(c.dataset().get().owner())) {
          makerRecord = c.ciphertextHash();
          maker = c.dataset().get().owner();
        }
      }
      if (committed == null || makerRecord == null) throw new CovenantException("job " + job + " has no committed result with the maker's scores on the ledger");
      if (!committed.equals(makerRecord)) {
        throw new IntegrityException("job " + job + "'s RESULT_COMMITTED " + committed.shortForm() + " is not the maker's encrypted scores " + makerRecord.shortForm()
            + "; no score is released");
      }
      EncryptedScores scores = HeMessages.scores(deployment.coordinator().sealedResult(job), LocalDeployment.OPERATOR);
      ScoringConsumer.Scores opened = state.consumer().decrypt(scores, state.sent(), committed);
      List<String> vehicles = scoredVehicles(deployment.dataDir(), maker, job);
      if (vehicles.size() != opened.values().length) {
        throw new IntegrityException("the maker names " + vehicles.size() + " vehicles for job " + job + " but " + opened.values().length + " scores were decrypted");
      }
      return new PricedVehicles(job, vehicles, opened.values(), opened.precision(), committed);
    } finally {
      insurerJobs.remove(job);
      state.consumer().close();
    }
  }

  // ---- the maker's side -------------------------------------------------------------------------------------------

  /** What the maker's side answers: the encrypted scores, their hash (recorded) and the vehicles in row order. */
  private record MakerScored(byte[] message, Digest digest, List<String> vehicles) {}

  /**
   * The maker's step. It receives the job, the manifest of its own dataset and the insurer's encrypted model; decides
   * on its own data, applies the withdrawals of the policy it decided under, sums the features of each remaining vehicle
   * with enough trips, and scores them under the encrypted model. Keeps the encrypted model it evaluated and the scored
   * pseudonyms in its folder ({@code orgs/<maker>/vehicles/he-jobs/}).
   */
  private MakerScored makerScores(JobRequest request, DatasetVersion version, Cid manifest, byte[] modelMessage) {
    OrgId maker = version.owner();
    EncryptedModel model = HeMessages.model(modelMessage, request.consumer());
    Digest onLedger = null;
    for (LedgerEntry e : deployment.ledger().entriesForJob(request.id())) {
      if (e.event().event() instanceof CiphertextRecorded c && c.role() == CiphertextRecorded.Role.MODEL && e.event().actor().equals(request.consumer())) {
        onLedger = c.ciphertextHash();
      }
      if (e.event().event() instanceof CiphertextRecorded c && c.role() == CiphertextRecorded.Role.SCORES) {
        throw new CovenantException(maker + " already scored job " + request.id() + " (entry " + e.index() + "); a job runs once, submit a new one");
      }
    }
    if (onLedger == null || !onLedger.equals(model.digest())) {
      throw new IntegrityException("the encrypted model handed over for job " + request.id() + " hashes to " + model.digest().shortForm() + ", but its consumer recorded "
          + (onLedger == null ? "none" : onLedger.shortForm()) + " on the ledger; nothing was scored");
    }
    if (model.features() != UbiFeatures.NAMES.size()) {
      throw new CovenantException("the encrypted model has " + model.features() + " weights; the vehicle features are " + UbiFeatures.NAMES.size());
    }
    Policy policy = ((OwnerKeyService) deployment.keyService(maker)).authoriseOwnUse(request.id(), version, Engine.HE);
    Set<String> excluded = policy.consent().map(c -> {
      if (!c.subjectColumn().equals("vehicle")) throw new CovenantException("the licence policy's consent names column " + c.subjectColumn() + ", not vehicle");
      return Set.copyOf(c.excludedSubjects());
    }).orElse(Set.of());
    List<UbiFeatures.Vehicle> vehicles = new VehicleMaker(deployment, maker).features(version, manifest, excluded, policy.minCohort());
    Policy.He controls = policy.heControls();
    if (vehicles.size() > controls.maxRows()) vehicles = vehicles.subList(0, (int) controls.maxRows());
    if (vehicles.isEmpty()) throw new CovenantException("no consenting vehicle of " + version + " has " + policy.minCohort() + " trips or more; nothing was scored");
    double[][] rows = vehicles.stream().map(UbiFeatures.Vehicle::features).toArray(double[][]::new);
    EncryptedScores scores = new ScoringOwner(sidecar(maker).get(), new ScoringPolicy((int) Math.min(Integer.MAX_VALUE, controls.maxRows()),
        controls.scoreNoise().doubleValue())).score(model, rows);
    java.util.Arrays.stream(rows).forEach(r -> java.util.Arrays.fill(r, 0));
    Digest digest = scores.digest();
    List<String> names = vehicles.stream().map(UbiFeatures.Vehicle::pseudonym).toList();
    keep(heJobs(deployment.dataDir(), maker).resolve(request.id().value() + ".model"), modelMessage);
    keep(heJobs(deployment.dataDir(), maker).resolve(request.id().value() + ".json"),
        Json.obj("job", request.id().value(), "model", model.digest().hex(), "scores", digest.hex(), "vehicles", names).encode().getBytes(StandardCharsets.UTF_8));
    sign(maker, new CiphertextRecorded(request.id(), CiphertextRecorded.Role.SCORES, Optional.of(version), digest, names.size()));
    return new MakerScored(HeMessages.scores(scores), digest, names);
  }

  /** The maker's folder of he jobs: the encrypted model each evaluated and the pseudonyms it scored, in row order. */
  public static Path heJobs(Path dataDir, OrgId maker) {
    return dataDir.resolve("orgs").resolve(maker.value()).resolve("vehicles").resolve("he-jobs");
  }

  /** The pseudonyms the maker scored for {@code job}, in row order: what it hands the insurer with the result. */
  public static List<String> scoredVehicles(Path dataDir, OrgId maker, JobId job) {
    Path f = heJobs(dataDir, maker).resolve(job.value() + ".json");
    try {
      return Json.parseObject(Files.readString(f)).strings("vehicles");
    } catch (IOException e) {
      throw new CovenantException("the maker keeps no scored vehicles for job " + job + " at " + f + ": " + e.getMessage(), e);
    }
  }

  // ---- shared -----------------------------------------------------------------------------------------------------

  private NodeSidecar sidecar(OrgId org) {
    return sidecars.computeIfAbsent(org, o -> new NodeSidecar(o.value()));
  }

  private void sign(OrgId org, AuditEvent event) {
    OrgCredentials c = deployment.keystore(org).credentials();
    deployment.ledger().append(SignedEvent.sign(event, c.org(), c.signingKey(), java.time.Instant.now()));
  }

  private static void keep(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new CovenantException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (InsurerJob j : insurerJobs.values()) j.consumer().close();
    insurerJobs.clear();
    sidecars.values().forEach(NodeSidecar::close);
    sidecars.clear();
  }
}
