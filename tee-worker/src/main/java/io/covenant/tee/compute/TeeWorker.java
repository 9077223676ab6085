package io.covenant.tee.compute;

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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Runs one SQL aggregate job inside the enclave, entirely in memory:
 *
 * <ol>
 *   <li>opens a private in-memory database and checks the query is an aggregate over the job's tables, reads the
 *       owner-signed manifests and binds the query against empty tables of their schemas, before any key is asked
 *       for: a query that is wrong in itself is refused with a message that says why;
 *   <li>generates an ephemeral HPKE key pair that exists only for this run;
 *   <li>for each input: attests with report data binding (job, dataset, enclave key), asks the owner's key service,
 *       opens the released key, reads the owner-signed manifest and decrypts its shards into the table named after
 *       the dataset (inputs sharing a name and schema are partitions of one table);
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

  private final AttestationProvider provider;
  private final Blockstore blockstore;

  public TeeWorker(AttestationProvider provider, Blockstore blockstore) {
    if (provider == null || blockstore == null) throw new MalformedInputException("a TEE worker needs an attestation provider and a block store");
    this.provider = provider;
    this.blockstore = blockstore;
  }

  public SealedResult run(TeeJob job) {
    JobRequest request = job.request();
    String sql = ((Computation.SqlQuery) request.computation()).sql();
    Set<String> tableNames = new LinkedHashSet<>();
    for (InputDataset input : job.inputs()) tableNames.add(input.version().dataset().name());

    try (EnclaveDatabase db = EnclaveDatabase.open(); BufferAllocator allocator = new RootAllocator(ARROW_LIMIT_BYTES)) {
      AggregateQuery checked = AggregateQuery.check(sql, tableNames, db.aggregateFunctions());
      OutputControls controls = job.controls();

      // Before any key: the owner-signed manifests give the schemas, so the query is bound against empty tables. Every
      // error that depends on the query alone is raised (and explained) here; after the keys, failures are generic.
      DatasetReader reader = new DatasetReader(blockstore);
      List<SignedManifest> signed = new ArrayList<>();
      for (InputDataset input : job.inputs()) {
        SignedManifest manifest = reader.manifest(input.manifestCid(), input.ownerKey());
        DatasetManifest m = manifest.manifest();
        if (!m.dataset().equals(input.version())) {
          throw new IntegrityException("manifest " + input.manifestCid() + " describes " + m.dataset() + ", not the input " + input.version()
              + " it was given for; the job names the wrong manifest");
        }
        db.createTable(input.version().dataset().name(), m.schema(), input.version().toString());
        signed.add(manifest);
      }
      AggregateQuery query = checked.guard(db.describe(checked.rendered()));
      db.describe(query.sql());
      NoisyQuery noisy = controls.privacy().map(p -> NoisyQuery.plan(query.guardedSelect(), p)).orElse(null);
      if (noisy != null) db.describe(noisy.sql());

      HpkeKeyPair enclaveKeys = HpkeKeyPair.generate();
      HpkePublicKey enclaveKey = enclaveKeys.publicKey();
      AttestationEvidence evidence = null;
      List<Cid> manifests = new ArrayList<>();
      for (int i = 0; i < job.inputs().size(); i++) {
        InputDataset input = job.inputs().get(i);
        SignedManifest manifest = signed.get(i);
        String source = input.version().toString();
        evidence = provider.attest(KeyReleaseRequest.reportData(request.id(), input.version(), enclaveKey));
        KeyReleaseRequest release = new KeyReleaseRequest(request.id(), input.version(), evidence, enclaveKey);
        SealedMessage sealedKey = input.keyService().release(release);
        KeyReleaseRequest.ReleasedKeys keys = release.openReleasedKeys(sealedKey, enclaveKeys);
        DataKey key = keys.data();
        try {
          // The controls and consent applied come from the handed policy: it must be the one the owner released under.
          Digest handed = input.policy().hash();
          if (!handed.equals(keys.policyHash())) throw new PolicyMismatchException(input.version(), handed, keys.policyHash());
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
        manifests.add(input.manifestCid());
      }
      db.lock();
      return computeAndSeal(db, query, noisy, controls, request, job, evidence, manifests);
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
      return new SealedResult(
          sealed, Digest.sha256(sealed), out.rows().size(), out.suppressedGroups(), evidence.measurement(), evidence.simulated(), manifests);
    } catch (RuntimeException e) {
      throw new ComputationFailedException();
    }
  }

  @Override
  public String toString() {
    return "TeeWorker[" + provider.name() + "]";
  }
}
