package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.job.Computation;
import io.covenant.core.job.JobRequest;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.dataset.DatasetManifest;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.SignedManifest;
import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.tee.attestation.AttestationProvider;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.tee.training.XgboostTraining;
import io.covenant.tee.training.TrainedModel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Runs one SQL aggregate job inside the enclave, entirely in memory:
 *
 * <ol>
 *   <li>checks the query is an aggregate over the job's tables built from allowed functions, before any key is asked
 *       for;
 *   <li>opens a private in-memory database, reads the owner-signed manifests and binds the query against empty tables
 *       of their schemas, before any data is decrypted: a query that is wrong in itself is refused with a message that
 *       says why. Owners that are other processes have been asked for their keys meanwhile (a decision takes a ledger
 *       round trip); should the query not bind, the keys they release are destroyed unused and the job fails with the
 *       explanation;
 *   <li>generates an ephemeral HPKE key pair that exists only for this run;
 *   <li>for each input: attests with report data binding (job, dataset, enclave key) and the nonce of the job's
 *       JOB_AUTHORIZED entry (its freshness, judged by each owner on the ledger), asks the owner's key service
 *       (the owners' nodes all at once when they are other processes), opens the released key, reads the
 *       owner-signed manifest and decrypts its shards into the table named after the dataset (inputs sharing a name
 *       and schema are partitions of one table);
 *   <li>locks the database (no file, network or extension access; configuration frozen), runs the rewritten query,
 *       drops groups below the minimum cohort; under a privacy budget ({@link OutputControls#privacy()}) it releases
 *       only COUNT, SUM and AVG with discrete Laplace noise, and the noisy count decides the cohort rule;
 *   <li>seals the remaining rows to the consumer and returns them with their hash.
 * </ol>
 *
 * Once keys are released, the query cannot fail because of a record (its risky expressions run under {@code TRY}, see
 * {@link AggregateQuery}); if it fails anyway (say, out of memory), the failure is the one generic {@link
 * ComputationFailedException}, whose text says nothing about the data.
 *
 * Nothing is written to disk or logged. Data keys are destroyed once their shards are decrypted; the enclave key
 * pair, the database and the Arrow buffers are released when run returns, by success or by failure.
 */
public final class TeeWorker {
  /** Arrow memory for decrypted batches of one job; each batch is released once appended. */
  private static final long ARROW_LIMIT_BYTES = 512L * 1024 * 1024;

  /** Randomness for differential-privacy noise: the platform's strong generator, never a seeded one. */
  private static final SecureRandom NOISE = new SecureRandom();

  /**
   * Sealed shards fetched ahead while the owners of remote inputs decide (see {@link PrefetchedBlocks}): enough for
   * the first shards of several inputs (a shard is at most 1 MiB), small beside the Arrow limit below.
   */
  private static final long PREFETCH_BYTES = 32L * 1024 * 1024;

  private final AttestationProvider provider;
  private final Blockstore blockstore;

  public TeeWorker(AttestationProvider provider, Blockstore blockstore) {
    if (provider == null || blockstore == null) throw new MalformedInputException("a TEE worker needs an attestation provider and a block store");
    this.provider = provider;
    this.blockstore = blockstore;
  }

  /** This worker reading {@code carried} blocks (each verified against its CID) before its block store. */
  public TeeWorker readingFirst(java.util.Map<io.covenant.core.cid.Cid, byte[]> carried) {
    return new TeeWorker(provider, new io.covenant.storage.blockstore.CarriedBlocks(blockstore, carried));
  }

  /**
   * Runs the job: a SQL aggregate, or a model training ({@link #train}), whose sealed model is returned as the
   * result.
   */
  public SealedResult run(TeeJob job) {
    if (job.request().computation() instanceof Computation.ModelTraining) return train(job).result();
    JobRequest request = job.request();
    String sql = ((Computation.SqlQuery) request.computation()).sql();
    Set<String> tableNames = tableNames(job);
    // Before any key: the query must be an aggregate over the job's tables, built from allowed functions only.
    AggregateQuery checked = AggregateQuery.check(sql, tableNames, EnclaveDatabase.knownAggregateFunctions());

    // Owners that are other processes are asked now, while the database starts and the query is bound: their
    // decisions (a ledger round trip each) take longer than that, and nothing is decrypted before the query binds.
    try (OwnerAnswers early = ownersAreRemote(job) ? OwnerAnswers.ask(job, provider) : null;
        EnclaveDatabase db = EnclaveDatabase.open(); BufferAllocator allocator = new RootAllocator(ARROW_LIMIT_BYTES)) {
      OutputControls controls = job.controls();

      // The owner-signed manifests give the schemas, so the query is bound against empty tables. Every error that
      // depends on the query alone is raised (and explained) here; after data is loaded, failures are generic.
      List<SignedManifest> signed = createTables(job, db);
      // The sealed shards are fetched meanwhile too: ciphertext, opened only once the query binds and its key arrives.
      if (early != null) early.prefetch(blockstore, signed);
      AggregateQuery query = checked.guard(db.describe(checked.rendered()));
      db.describe(query.sql());
      NoisyQuery noisy = controls.privacy().map(p -> NoisyQuery.plan(query.guardedSelect(), p)).orElse(null);
      if (noisy != null) db.describe(noisy.sql());

      Loaded loaded = load(job, db, signed, allocator, early);
      return computeAndSeal(db, query, noisy, controls, request, job, loaded.evidence(), loaded.manifests());
    }
  }

  /**
   * Trains the gradient-boosted model the job's {@link Computation.ModelTraining} describes, on the rows its feature
   * query returns from the decrypted inputs (joins included), and seals the model and its training metrics to the
   * consumer. Output controls: the training table must have at least the strictest input policy's minimum cohort of
   * rows, and nothing per row (no prediction, no row count per value) leaves; the model's SHA-256 is returned for the
   * ledger. Before any key is released, the feature query is checked (one SELECT over the job's tables) and bound
   * against the manifests' schemas: the label must be one of its columns and every column a number.
   */
  public SealedModel train(TeeJob job) {
    JobRequest request = job.request();
    if (!(request.computation() instanceof Computation.ModelTraining spec)) {
      throw new MalformedInputException("job " + request.id() + " is not a model training");
    }
    Set<String> tableNames = tableNames(job);
    try (EnclaveDatabase db = EnclaveDatabase.open(); BufferAllocator allocator = new RootAllocator(ARROW_LIMIT_BYTES)) {
      FeatureQuery query = FeatureQuery.check(spec.featureSql(), tableNames);
      long minRows = trainingRows(job);
      List<SignedManifest> signed = createTables(job, db);
      List<String> columns = db.describe(query.sql());
      List<ValueKind> kinds = db.describeKinds(query.sql());
      if (!columns.contains(spec.label())) {
        throw new QueryRefusedException("the feature query has no column '" + spec.label() + "' to use as the label; its columns are " + columns);
      }
      if (columns.size() < 2) throw new QueryRefusedException("the feature query returns only the label; add at least one feature column");
      for (int i = 0; i < columns.size(); i++) {
        ValueKind k = kinds.get(i);
        if (k != ValueKind.INTEGER && k != ValueKind.FLOAT && k != ValueKind.DECIMAL) {
          throw new QueryRefusedException("feature query column '" + columns.get(i) + "' is " + k.wireName()
              + ", not a number; turn it into one (CASE, CAST, date_diff) in the query");
        }
      }
      Loaded loaded = load(job, db, signed, allocator, null);
      io.covenant.tee.training.FeatureTable table = db.featureTable(query, spec.label()); // its failures are already generic
      if (table.rows() < minRows) {
        // Says only that the count is below the threshold, as a suppressed group does.
        throw new OutputControlException("the training table has fewer rows than the inputs' policies allow a model to learn from ("
            + minRows + ", the largest training.minRows), so no model is released; widen the feature query");
      }
      try {
        TrainedModel model = XgboostTraining.train(job.suite(), table, spec);
        byte[] sealed = model.seal(request.id(), job.consumerKey());
        SealedResult result = SealedResult.of(job.suite(), sealed, model.rows(), 0, loaded.evidence().measurement(),
            loaded.evidence().simulated(), loaded.manifests(), java.util.Optional.of(model.modelHash()));
        return new SealedModel(result, model.modelHash());
      } catch (RuntimeException e) {
        // As for queries: once data is loaded, every failure is the one generic failure, which says nothing about a record.
        throw new ComputationFailedException();
      }
    }
  }

  /**
   * The fewest rows a model may learn from: the largest {@code training.minRows} of the inputs' policies. The enclave
   * refuses, before any key is asked for, a training over an input whose policy has no training section or sets a
   * privacy budget (a model is not differentially private), whatever the coordinator decided.
   */
  private static long trainingRows(TeeJob job) {
    long minRows = 0;
    for (InputDataset input : job.inputs()) {
      var policy = input.policy();
      if (policy.training().isEmpty()) {
        throw new QueryRefusedException("the policy of " + input.version() + " (" + policy.id() + ") does not allow model training; "
            + "its owner would have to add a training section");
      }
      if (policy.privacy().isPresent()) {
        throw new QueryRefusedException("the policy of " + input.version() + " (" + policy.id() + ") sets a privacy budget, and a trained "
            + "model is not differentially private; no model is trained under it");
      }
      minRows = Math.max(minRows, policy.training().get().minRows());
    }
    return Math.max(minRows, job.controls().minCohort());
  }

  private static Set<String> tableNames(TeeJob job) {
    Set<String> tableNames = new LinkedHashSet<>();
    for (InputDataset input : job.inputs()) tableNames.add(input.version().dataset().name());
    return tableNames;
  }

  /** Reads each input's owner-signed manifest and creates its (empty) table; no key is needed for this. */
  private List<SignedManifest> createTables(TeeJob job, EnclaveDatabase db) {
    DatasetReader reader = new DatasetReader(blockstore);
    List<SignedManifest> read = new ArrayList<>();
    if (ownersAreRemote(job)) {
      // The manifests come from the same remote store as the shards: read them all at once rather than in turn.
      try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<SignedManifest>> pending = job.inputs().stream()
            .map(input -> CompletableFuture.supplyAsync(() -> reader.manifest(input.manifestCid(), input.ownerKey()), readers)).toList();
        for (CompletableFuture<SignedManifest> m : pending) read.add(joined(m));
      }
    } else {
      for (InputDataset input : job.inputs()) read.add(reader.manifest(input.manifestCid(), input.ownerKey()));
    }
    List<SignedManifest> signed = new ArrayList<>();
    for (int i = 0; i < job.inputs().size(); i++) {
      InputDataset input = job.inputs().get(i);
      SignedManifest manifest = read.get(i);
      DatasetManifest m = manifest.manifest();
      if (!m.dataset().equals(input.version())) {
        throw new IntegrityException("manifest " + input.manifestCid() + " describes " + m.dataset() + ", not the input " + input.version()
            + " it was given for; the job names the wrong manifest");
      }
      db.createTable(input.version().dataset().name(), m.schema(), input.version().toString());
      signed.add(manifest);
    }
    return signed;
  }

  private record Loaded(AttestationEvidence evidence, List<Cid> manifests) {}

  /** Whether the job has several inputs and every one's key service is another process: then its owners are asked at once. */
  private static boolean ownersAreRemote(TeeJob job) {
    return job.inputs().size() > 1 && job.inputs().stream().allMatch(i -> i.keyService().remote());
  }

  /** One input's key as its owner released it, opened inside the enclave, with the evidence it was released against. */
  private record Released(AttestationEvidence evidence, KeyReleaseRequest.ReleasedKeys keys) {}

  /**
   * The key requests of one job to owners that are other processes, all sent at once, each on its own virtual thread,
   * against evidence bound to (job, dataset, enclave key). The enclave key pair exists only for this run. Closing waits
   * for every request still under way and destroys each key that was not {@linkplain #take taken}, so that no key
   * outlives the job and no owner's release is recorded after the job's end.
   */
  private static final class OwnerAnswers implements AutoCloseable {
    private final HpkeKeyPair enclaveKeys;
    private final ExecutorService askers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<CompletableFuture<Released>> answers = new ArrayList<>();
    private final boolean[] taken;
    private PrefetchedBlocks prefetched;
    private boolean closed;

    private OwnerAnswers(TeeJob job) {
      // The enclave's one-job key is of the consortium's suite, so that owners seal data keys to it with the suite's KEM.
      enclaveKeys = job.suite().generateSealingKeys();
      taken = new boolean[job.inputs().size()];
    }

    static OwnerAnswers ask(TeeJob job, AttestationProvider provider) {
      OwnerAnswers a = new OwnerAnswers(job);
      try {
        HpkePublicKey enclaveKey = a.enclaveKeys.publicKey();
        for (InputDataset input : job.inputs()) {
          AttestationEvidence attested = provider.attest(reportData(job, input, enclaveKey));
          a.answers.add(CompletableFuture.supplyAsync(() -> askOwner(job, input, attested, enclaveKey, a.enclaveKeys), a.askers));
        }
        return a;
      } catch (RuntimeException e) {
        a.close();
        throw e;
      }
    }

    /** Waits for the next owner to answer, whichever it is, and returns its input's index; a refusal is thrown as it came. */
    int next() {
      List<CompletableFuture<Released>> pending = new ArrayList<>();
      for (int i = 0; i < answers.size(); i++) if (!taken[i]) pending.add(answers.get(i));
      CompletableFuture.anyOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      for (int i = 0; i < answers.size(); i++) if (!taken[i] && answers.get(i).isDone()) return i;
      throw new IllegalStateException("no answered input although one completed"); // cannot happen: anyOf returned
    }

    /** Input {@code i}'s released key, now the caller's to destroy. */
    Released take(int i) {
      taken[i] = true;
      return joined(answers.get(i));
    }

    /** Starts fetching the inputs' first sealed shards (once), on the askers' threads. */
    PrefetchedBlocks prefetch(Blockstore blockstore, List<SignedManifest> signed) {
      if (prefetched == null) prefetched = new PrefetchedBlocks(blockstore, signed, PREFETCH_BYTES, askers);
      return prefetched;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      if (prefetched != null) prefetched.discard();
      askers.close(); // waits for every request still under way: nothing is released after this job ends
      for (int i = 0; i < answers.size(); i++) {
        if (taken[i]) continue;
        Released late = answers.get(i).exceptionally(e -> null).join();
        if (late != null) late.keys().destroy();
      }
    }
  }

  /**
   * Obtains each input's key from its owner, decrypts its shards into its table, and locks the database.
   *
   * <p>When every key service is another process's ({@link io.covenant.core.keyrelease.KeyService#remote()}), the
   * owners are asked at the same time ({@code early}, sent before the query was bound, or now for a training) and each
   * input's shards are loaded as soon as its key arrives: the job waits for the slowest owner instead of the sum of all
   * of them. Each owner still decides alone. Should one input fail, the requests already under way are waited for and
   * every key they brought is destroyed before the failure is thrown. The result's list of input manifests stays in
   * input order. In-process key services are asked one after another, which keeps their ledger entries in input order.
   * While remote owners decide, the first sealed shards of every input are fetched ({@link PrefetchedBlocks}).
   */
  private Loaded load(TeeJob job, EnclaveDatabase db, List<SignedManifest> signed, BufferAllocator allocator, OwnerAnswers early) {
    List<InputDataset> inputs = job.inputs();
    if (ownersAreRemote(job)) {
      try (OwnerAnswers answers = early != null ? early : OwnerAnswers.ask(job, provider)) {
        DatasetReader reader = new DatasetReader(answers.prefetch(blockstore, signed));
        AttestationEvidence evidence = null;
        // Each input is loaded as soon as its owner answers, whichever answers first, on its own thread and
        // connection: the loading of the early ones overlaps the wait for the late ones, and owners who answer
        // together are loaded together. A refusal ends the job once the loads under way have ended (closing the
        // answers destroys the other keys); a failed load is thrown once every load has ended.
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        try (ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int done = 0; done < inputs.size(); done++) {
            int i = answers.next();
            Released released = answers.take(i);
            evidence = released.evidence();
            loads.add(CompletableFuture.runAsync(() -> {
              try (EnclaveDatabase.Loader loader = db.loader()) {
                loadShards(loader, reader, inputs.get(i), signed.get(i), released.keys(), allocator, job.suite());
              }
            }, loaders));
          }
        }
        // Closing the loaders waited for every load under way: a refusal above left only then, and a failed load is thrown here.
        for (CompletableFuture<Void> load : loads) joined(load);
        db.lock();
        return new Loaded(evidence, inputs.stream().map(InputDataset::manifestCid).toList());
      }
    }
    HpkeKeyPair enclaveKeys = job.suite().generateSealingKeys();
    HpkePublicKey enclaveKey = enclaveKeys.publicKey();
    DatasetReader reader = new DatasetReader(blockstore);
    AttestationEvidence evidence = null;
    for (int i = 0; i < inputs.size(); i++) {
      InputDataset input = inputs.get(i);
      AttestationEvidence attested = provider.attest(reportData(job, input, enclaveKey));
      Released released = askOwner(job, input, attested, enclaveKey, enclaveKeys);
      evidence = released.evidence();
      try (EnclaveDatabase.Loader loader = db.loader()) {
        loadShards(loader, reader, input, signed.get(i), released.keys(), allocator, job.suite());
      }
    }
    db.lock();
    return new Loaded(evidence, inputs.stream().map(InputDataset::manifestCid).toList());
  }

  /**
   * The report data the enclave binds into its evidence for {@code input}: the request binding and the attestation
   * nonce of the job's JOB_AUTHORIZED entry for this run's enclave key, so the evidence is fresh by the ledger's
   * measure. A job handed over without its authorisation entry gets the older binding, which owners refuse.
   */
  private static byte[] reportData(TeeJob job, InputDataset input, HpkePublicKey enclaveKey) {
    return job.authorisation()
        .map(a -> KeyReleaseRequest.reportData(job.request().id(), input.version(), enclaveKey, a))
        .orElseGet(() -> KeyReleaseRequest.reportData(job.request().id(), input.version(), enclaveKey));
  }

  /** Asks {@code input}'s owner for its key against {@code evidence} and opens the answer with the enclave key. */
  private static Released askOwner(TeeJob job, InputDataset input, AttestationEvidence evidence, HpkePublicKey enclaveKey,
      HpkeKeyPair enclaveKeys) {
    KeyReleaseRequest release = new KeyReleaseRequest(job.request().id(), input.version(), evidence, enclaveKey, job.authorisation());
    SealedMessage sealedKey = input.keyService().release(release);
    return new Released(evidence, release.openReleasedKeys(sealedKey, enclaveKeys));
  }

  /** What {@code answer} completed with, or its failure as the exception thrown (a key refusal stays a refusal). */
  private static <T> T joined(CompletableFuture<T> answer) {
    try {
      return answer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw e;
    }
  }

  /** Decrypts one input's shards into its table under its released key, then destroys the key. */
  private static void loadShards(EnclaveDatabase.Loader db, DatasetReader reader, InputDataset input, SignedManifest manifest,
      KeyReleaseRequest.ReleasedKeys keys, BufferAllocator allocator, io.covenant.core.crypto.CryptoSuite suite) {
    String source = input.version().toString();
    try {
      // The controls and consent applied come from the handed policy: it must be the one the owner released under.
      Digest handed = input.policy().hash(suite);
      if (!handed.equals(keys.policyHash())) throw new PolicyMismatchException(input.version(), handed, keys.policyHash());
      DataKey key = keys.data();
      String table = input.version().dataset().name();
      long[] seen = {0};
      reader.forEachBatch(manifest, key, allocator, batch -> {
        db.append(table, batch, source, input.consent(), keys.subjects());
        seen[0] += batch.getRowCount();
      });
      if (seen[0] != manifest.manifest().rows()) {
        throw new IntegrityException("input " + source + " yielded " + seen[0] + " rows but its signed manifest lists " + manifest.manifest().rows());
      }
    } finally {
      keys.destroy();
    }
  }

  /**
   * The consumer's query over the loaded data, its output controls and the sealing. Whatever goes wrong here is the
   * one generic {@link ComputationFailedException}: its kind or text could depend on a record.
   */
  private static SealedResult computeAndSeal(EnclaveDatabase db, AggregateQuery query, NoisyQuery noisy, OutputControls controls,
      JobRequest request, TeeJob job, AttestationEvidence evidence, List<Cid> manifests) {
    try {
      EnclaveDatabase.ControlledOutput out = noisy == null
          ? db.run(query, controls.minCohort())
          : db.runNoisy(noisy, controls.minCohort(), NOISE);
      ResultTable table = new ResultTable(out.columns(), out.rows());
      byte[] sealed = ResultTable.seal(table, out.kinds(), request.id(), job.consumerKey());
      return SealedResult.of(job.suite(),
          sealed, out.rows().size(), out.suppressedGroups(), evidence.measurement(), evidence.simulated(), manifests, java.util.Optional.empty());
    } catch (RuntimeException e) {
      throw new ComputationFailedException();
    }
  }

  @Override
  public String toString() {
    return "TeeWorker[" + provider.name() + "]";
  }
}
