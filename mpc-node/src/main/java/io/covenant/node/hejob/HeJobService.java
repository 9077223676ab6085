package io.covenant.node.hejob;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.CiphertextRecorded;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.mpc.he.AggregationConsumer;
import io.covenant.mpc.he.AggregationContributor;
import io.covenant.mpc.he.AggregationKeys;
import io.covenant.mpc.he.EncryptedContribution;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.EncryptedTotal;
import io.covenant.mpc.he.HeEvaluator;
import io.covenant.mpc.he.HeMessages;
import io.covenant.mpc.he.HeParameters;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.mpc.he.ScoringOwner;
import io.covenant.mpc.he.ScoringPolicy;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.node.ownjob.JobOnOwnLedger;
import io.covenant.node.ownjob.OwnShards;
import io.covenant.node.partyjob.PartyJobRefusedException;
import io.covenant.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An organisation's part in homomorphic-encryption jobs ({@code engine=he}), in its own node process with its own SEAL
 * sidecar. As the consumer it makes a key pair per job ({@link #consumerKeys}), sends out only the public (and
 * relinearisation) key and its encrypted model, records their hash, keeps the secret key in its sidecar, and later
 * decrypts the job's result ({@link #open}) after checking it against the ledger. As a data owner it checks the job
 * like a multi-party seat does ({@link JobOnOwnLedger}: the consumer signed exactly this job, the operator bound each
 * input to the policy text handed over), decides on its own data ({@link OwnerKeyService#authoriseOwnUse}), checks the
 * consumer's message against the consumer's ledger record, decrypts its own dataset in this process, computes under
 * encryption ({@link #ownerScore}, {@link #ownerAggregate}) with its policy's output controls, and records the hash of
 * what it returns. No key, row or plaintext result leaves the node.
 *
 * <p>The consumer's secret keys live in the sidecar only as long as the node runs: a job whose consumer node restarted
 * before the result was opened must be submitted again.
 */
public final class HeJobService implements AutoCloseable {
  private final OrgCredentials self;
  private final OrgId operator;
  private final OwnerKeyService decisions;
  private final Ledger ledger;
  private final Runnable sync;
  private final JobOnOwnLedger checks;
  private final OwnShards shards;
  private final HeConsumerModels models;
  private final Supplier<HeEvaluator> evaluator;
  private final Clock clock;
  private final Map<JobId, ConsumerJob> consumerJobs = new ConcurrentHashMap<>();

  /** The consumer's state of one job: its key (in the sidecar) and what it sent. */
  private sealed interface ConsumerJob permits Scoring, Aggregating {}

  private record Scoring(ScoringConsumer consumer, EncryptedModel sent, Computation.HeScore computation) implements ConsumerJob {}

  private record Aggregating(AggregationConsumer consumer, Computation.HeAggregate computation) implements ConsumerJob {}

  /**
   * @param evaluator the node's SEAL sidecar, started (or restarted after a failure) when asked for
   * @param operator the log's operator, the only caller whose scheduling the node takes (it still checks the ledger)
   */
  public HeJobService(OrgCredentials self, OrgId operator, OwnerKeyService decisions, Ledger ledger, Runnable sync, OwnShards shards, HeConsumerModels models,
      Supplier<HeEvaluator> evaluator, Clock clock) {
    this.self = self;
    this.operator = operator;
    this.decisions = decisions;
    this.ledger = ledger;
    this.sync = sync;
    this.checks = new JobOnOwnLedger(ledger, PartyJobRefusedException::new);
    this.shards = shards;
    this.models = models;
    this.evaluator = evaluator;
    this.clock = clock;
  }

  public OrgId operator() {
    return operator;
  }

  public HeConsumerModels models() {
    return models;
  }

  /** The consumer's step: checks that the job is its own, makes its key and answers the encrypted model or the public key. */
  public Json.JObject consumerKeys(HeJobRequest request) {
    sync.run();
    JobRequest job = request.job();
    requireHe(job);
    if (!job.consumer().equals(self.org())) throw new PartyJobRefusedException(self.org() + " is not the consumer of job " + job.id() + "; " + job.consumer() + " is");
    checks.checkSubmitted(job, Engine.HE);
    checks.boundPolicies(job, request.policies());
    if (consumerJobs.containsKey(job.id())) throw new PartyJobRefusedException(self.org() + " already made its key for job " + job.id() + "; a job runs once, submit a new one");
    HeEvaluator he = evaluator.get();
    return switch (job.computation()) {
      case Computation.HeScore score -> {
        HeConsumerModels.Stored stored = models.load(score.model(), score.link());
        ScoringModel model = stored.model();
        if (model.features() != score.features().size()) {
          throw new MalformedInputException("model " + score.model() + " has " + model.features() + " weights but the job names " + score.features().size()
              + " feature columns " + score.features() + "; name one column per weight, in the model's order");
        }
        ScoringConsumer consumer = scoringConsumer(he, stored);
        EncryptedModel sent;
        try {
          sent = consumer.encryptModel();
        } catch (RuntimeException e) {
          consumer.close();
          throw e;
        }
        consumerJobs.put(job.id(), new Scoring(consumer, sent, score));
        Digest recorded = sent.digest();
        record(new CiphertextRecorded(job.id(), CiphertextRecorded.Role.MODEL, java.util.Optional.empty(), recorded, 0));
        yield HeJobRequest.answer(HeMessages.model(sent), recorded, 0);
      }
      case Computation.HeAggregate aggregate -> {
        int owners = (int) job.datasets().stream().map(DatasetVersion::owner).distinct().count();
        AggregationConsumer consumer = new AggregationConsumer(he, HeParameters.CKKS_AGGREGATE, aggregate.length(), owners);
        consumerJobs.put(job.id(), new Aggregating(consumer, aggregate));
        byte[] keys = HeMessages.keys(consumer.keys());
        Digest recorded = Digest.of(io.covenant.core.crypto.FixedAlgorithms.heObjectDigest().digest(keys));
        record(new CiphertextRecorded(job.id(), CiphertextRecorded.Role.KEYS, java.util.Optional.empty(), recorded, 0));
        yield HeJobRequest.answer(keys, recorded, 0);
      }
      default -> throw notHe(job);
    };
  }

  /**
   * The consumer's side of a score: refuses a model that can leave the CKKS range over the feature ranges it declared,
   * draws the job's probe rows afresh in those public ranges (FeatureRanges: uniform, from a SecureRandom, no weight
   * enters the draw, so the owner, who receives them in the clear, learns the ranges and nothing of the weights), and
   * makes the job's key. The bound stated covers every row within the ranges.
   */
  static ScoringConsumer scoringConsumer(HeEvaluator he, HeConsumerModels.Stored stored) {
    double[][] probes = stored.ranges().probesFor(stored.model());
    return new ScoringConsumer(he, HeParameters.CKKS_SCORING, stored.model(), probes, stored.ranges().bound(stored.model()));
  }

  /** The owner's step of a score: evaluates the consumer's encrypted model on its own rows; answers the encrypted scores. */
  public Json.JObject ownerScore(HeJobRequest request) {
    Owned owned = ownerChecks(request);
    if (!(owned.job().computation() instanceof Computation.HeScore score)) throw new MalformedInputException("job " + owned.job().id() + " is not a score");
    if (owned.job().datasets().size() != 1) throw new PartyJobRefusedException("a score runs on one owner's dataset; job " + owned.job().id() + " names " + owned.job().datasets());
    DatasetVersion d = owned.own().getFirst();
    Policy policy = owned.policies().get(d);
    EncryptedModel model = HeMessages.model(request.message(), owned.job().consumer());
    Digest onLedger = consumerRecord(owned.job().id(), CiphertextRecorded.Role.MODEL);
    if (!model.digest().equals(onLedger)) {
      throw new IntegrityException("the encrypted model handed over for job " + owned.job().id() + " hashes to " + model.digest().shortForm() + ", but its consumer recorded "
          + onLedger.shortForm() + " on the ledger: it was modified on the way; nothing was scored");
    }
    ScoringModel.Link link = Computation.HeScore.LOGISTIC.equals(score.link()) ? ScoringModel.Link.LOGISTIC : ScoringModel.Link.LINEAR;
    if (model.link() != link || model.features() != score.features().size()) {
      throw new PartyJobRefusedException("the encrypted model (" + model.link() + ", " + model.features() + " features) is not the " + score.link() + " model over "
          + score.features() + " that job " + owned.job().id() + " names");
    }
    Policy.He controls = policy.heControls();
    FeatureRows rows = new FeatureRows(score.features(), policy.consent(), d.toString(), controls.maxRows());
    shards.read(d, checks.manifestOf(d, self.org()), subjects -> {
      rows.subjects(subjects);
      return rows::add;
    });
    double[][] values = rows.values();
    if (values.length == 0) throw new PartyJobRefusedException(d + " has no complete row of " + score.features() + " to score");
    EncryptedScores scores = new ScoringOwner(evaluator.get(), new ScoringPolicy((int) Math.min(Integer.MAX_VALUE, controls.maxRows()),
        controls.scoreNoise().doubleValue())).score(model, values);
    Digest digest = scores.digest();
    record(new CiphertextRecorded(owned.job().id(), CiphertextRecorded.Role.SCORES, java.util.Optional.of(d), digest, values.length));
    return HeJobRequest.answer(HeMessages.scores(scores), digest, values.length);
  }

  /** The owner's step of an aggregate: counts and sums per group over its own datasets; answers them encrypted under the consumer's key. */
  public Json.JObject ownerAggregate(HeJobRequest request) {
    Owned owned = ownerChecks(request);
    if (!(owned.job().computation() instanceof Computation.HeAggregate aggregate)) throw new MalformedInputException("job " + owned.job().id() + " is not an aggregate");
    byte[] message = request.message();
    Digest onLedger = consumerRecord(owned.job().id(), CiphertextRecorded.Role.KEYS);
    if (!Digest.of(io.covenant.core.crypto.FixedAlgorithms.heObjectDigest().digest(message)).equals(onLedger)) {
      throw new IntegrityException("the consumer's key handed over for job " + owned.job().id() + " is not the one its consumer recorded on the ledger ("
          + onLedger.shortForm() + "): nothing was encrypted under it");
    }
    AggregationKeys keys = HeMessages.keys(message, owned.job().consumer());
    if (keys.length() != aggregate.length()) throw new PartyJobRefusedException("the consumer's key is for " + keys.length() + " values; job " + owned.job().id() + " aggregates " + aggregate.length());
    double[] vector = new double[aggregate.length()];
    long rowsRead = 0;
    for (DatasetVersion d : owned.own()) {
      Policy policy = owned.policies().get(d);
      GroupTotals totals = new GroupTotals(aggregate, policy.consent(), d.toString());
      rowsRead += shards.read(d, checks.manifestOf(d, self.org()), subjects -> {
        totals.subjects(subjects);
        return totals::add;
      });
      double[] own = totals.vector(policy.minCohort());
      for (int i = 0; i < vector.length; i++) vector[i] += own[i];
    }
    EncryptedContribution contribution = new AggregationContributor(evaluator.get(), self.org()).encrypt(keys, vector);
    java.util.Arrays.fill(vector, 0);
    Digest digest = contribution.digest();
    for (DatasetVersion d : owned.own()) record(new CiphertextRecorded(owned.job().id(), CiphertextRecorded.Role.INPUT, java.util.Optional.of(d), digest, rowsRead));
    return HeJobRequest.answer(HeMessages.contribution(contribution), digest, rowsRead);
  }

  /**
   * The consumer opens its job's result (as the coordinator stored it): it must hash to the RESULT_COMMITTED the ledger
   * holds (and, for scores, to the owner's record; for a total, be summed from exactly the inputs the owners recorded),
   * be under this job's key, and, for scores, its probe rows must decrypt within the stated precision. Answers the
   * table, the precision reached, and both digests.
   */
  public Json.JObject open(JobId job, byte[] stored) {
    sync.run();
    ConsumerJob state = consumerJobs.get(job);
    if (state == null) {
      throw new PartyJobRefusedException(self.org() + "'s node holds no key of job " + job + ": it was made by another node process (keys live only as long as "
          + "the node that made them runs) or the job is not an he job of this consumer; submit it again");
    }
    Digest committed = null;
    Map<OrgId, Digest> inputs = new HashMap<>();
    for (LedgerEntry e : ledger.entriesForJob(job)) {
      if (e.event().event() instanceof AuditEvent.ResultCommitted r && e.event().actor().equals(operator)) committed = r.resultHash();
      if (e.event().event() instanceof CiphertextRecorded c && c.role() == CiphertextRecorded.Role.INPUT && c.dataset().isPresent()
          && e.event().actor().equals(c.dataset().get().owner())) {
        inputs.put(c.dataset().get().owner(), c.ciphertextHash());
      }
    }
    if (committed == null) throw new PartyJobRefusedException("the ledger holds no RESULT_COMMITTED of job " + job + " by the operator; the job has no result yet");
    return switch (state) {
      case Scoring s -> {
        EncryptedScores scores = HeMessages.scores(stored, operator);
        ScoringConsumer.Scores opened = s.consumer().decrypt(scores, s.sent(), committed);
        TextTable t = TextTable.withHeaders("row", "score");
        double[] v = opened.values();
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
          String score = String.format(Locale.ROOT, "%.6f", v[i]);
          if (i < 20) t.row(i + 1, score);
          data.add(List.of(String.valueOf(i + 1), score));
        }
        if (v.length > 20) t.row("…", (v.length - 20) + " more rows");
        yield Json.obj("columns", List.of("row", "score"), "rows", (long) v.length, "table", t.render(), "data", data,
            "precision", opened.precision().toString(), "maxError", opened.precision().measuredMaxError(), "bound", opened.precision().total(),
            "resultHash", committed.hex());
      }
      case Aggregating a -> {
        EncryptedTotal total = HeMessages.total(stored, operator);
        if (!total.digest().equals(committed)) {
          throw new IntegrityException("the stored total of job " + job + " hashes to " + total.digest().shortForm() + " but the ledger's RESULT_COMMITTED says "
              + committed.shortForm() + ": it was modified after it was committed; no total is released");
        }
        AggregationConsumer.Total opened = a.consumer().decrypt(total, inputs);
        Computation.HeAggregate c = a.computation();
        boolean sums = c.sum().isPresent();
        TextTable t = sums ? TextTable.withHeaders(c.groupBy(), "count", "sum of " + c.sum().get()) : TextTable.withHeaders(c.groupBy(), "count");
        List<Object> data = new ArrayList<>();
        double[] r = opened.reals();
        int g = c.groups().size();
        for (int i = 0; i < g; i++) {
          String count = String.format(Locale.ROOT, "%.4f", r[i]);
          if (sums) {
            String sum = String.format(Locale.ROOT, "%.4f", r[g + i]);
            t.row(c.groups().get(i), count, sum);
            data.add(List.of(c.groups().get(i), count, sum));
          } else {
            t.row(c.groups().get(i), count);
            data.add(List.of(c.groups().get(i), count));
          }
        }
        yield Json.obj("columns", sums ? List.of(c.groupBy(), "count", "sum") : List.of(c.groupBy(), "count"), "rows", (long) g, "table", t.render(),
            "data", data, "precision", opened.precision().toString(), "bound", opened.precision().total(), "resultHash", committed.hex());
      }
    };
  }

  /** Forgets the job's key (the sidecar frees it). */
  public void forget(JobId job) {
    ConsumerJob state = consumerJobs.remove(job);
    if (state instanceof Scoring s) s.consumer().close();
    if (state instanceof Aggregating a) a.consumer().close();
  }

  private record Owned(JobRequest job, List<DatasetVersion> own, Map<DatasetVersion, Policy> policies) {}

  private Owned ownerChecks(HeJobRequest request) {
    sync.run();
    JobRequest job = request.job();
    requireHe(job);
    checks.checkSubmitted(job, Engine.HE);
    List<Policy> policies = checks.boundPolicies(job, request.policies());
    List<DatasetVersion> own = job.datasets().stream().filter(d -> d.owner().equals(self.org())).toList();
    if (own.isEmpty()) throw new PartyJobRefusedException(self.org() + " owns no input of job " + job.id() + " " + job.datasets());
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      if (e.event().event() instanceof CiphertextRecorded c && c.dataset().isPresent() && own.contains(c.dataset().get())) {
        throw new PartyJobRefusedException(self.org() + " already computed its part of job " + job.id() + " (entry " + e.index() + "); a job runs once, submit a new one");
      }
    }
    Map<DatasetVersion, Policy> mine = new HashMap<>();
    for (DatasetVersion d : own) {
      Policy bound = policies.get(job.datasets().indexOf(d));
      Policy decided = decisions.authoriseOwnUse(job.id(), d, Engine.HE);
      if (!decided.hash(self.signingKey().suite()).equals(bound.hash(self.signingKey().suite()))) throw new PartyJobRefusedException("the policy " + self.org() + " holds for " + d + " is not the one bound to job " + job.id());
      mine.put(d, decided);
    }
    return new Owned(job, own, mine);
  }

  private Digest consumerRecord(JobId job, CiphertextRecorded.Role role) {
    Digest found = null;
    OrgId consumer = null;
    for (LedgerEntry e : ledger.entriesForJob(job)) {
      if (e.event().event() instanceof AuditEvent.JobSubmitted s) consumer = s.consumer();
      if (e.event().event() instanceof CiphertextRecorded c && c.role() == role && e.event().actor().equals(consumer)) found = c.ciphertextHash();
    }
    if (found == null) throw new PartyJobRefusedException("the ledger holds no " + role.wireName() + " ciphertext recorded by the consumer of job " + job);
    return found;
  }

  private void record(CiphertextRecorded event) {
    ledger.append(SignedEvent.sign(event, self.org(), self.signingKey(), clock.instant()));
  }

  private void requireHe(JobRequest job) {
    if (job.engine() != Engine.HE) throw new MalformedInputException("job " + job.id() + " is for the " + job.engine().wireName() + " engine, not he");
    if (self.signingKey().suite().isNational()) {
      // Its object digests are SHA-256 and bound into its messages (FixedAlgorithms.heObjectDigest); an SM3 ledger must not record them.
      throw new PartyJobRefusedException(self.org() + " takes no part in he job " + job.id() + ": the he engine runs in international consortia only, "
          + "and this one runs on the national suite (its ledger records SM3 identifiers, the engine's digests are SHA-256)");
    }
  }

  private static PartyJobRefusedException notHe(JobRequest job) {
    return new PartyJobRefusedException("the he engine runs he-score and he-aggregate; job " + job.id() + " asks for " + job.computation().toJson().string("kind"));
  }

  @Override
  public void close() {
    for (JobId j : List.copyOf(consumerJobs.keySet())) forget(j);
  }
}
