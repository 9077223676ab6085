package io.covenant.tee.keyrelease;

import io.covenant.core.keyrelease.KeyReleaseRequest;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.JobRequest;
import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.nio.file.Path;
import java.util.List;

/** One owner with one small dataset, a policy allowing this simulated build, and a submitted job using it. */
final class KeyReleaseSetup implements AutoCloseable {
  final Consortium consortium;
  final Consortium.Owner owner;
  final DatasetVersion dataset = DatasetVersion.parse("hospital-a/claims@1");
  final JobRequest job;
  final HpkeKeyPair enclave = HpkeKeyPair.generate();

  KeyReleaseSetup(Path dir) {
    consortium = new Consortium(dir);
    owner = consortium.owner("hospital-a");
    consortium.publish(owner, dataset, Claims.SCHEMA, Claims.rows("a", 20, 1));
    consortium.publishPolicy(owner, dataset.dataset(), 5);
    job = consortium.submit("SELECT count(*) FROM claims", List.of(dataset));
  }

  DatasetId datasetId() {
    return dataset.dataset();
  }

  /** A request whose evidence is bound, as it must be, to this job, dataset and enclave key. */
  KeyReleaseRequest request() {
    return request(dataset);
  }

  /**
   * Bound to the job's authorisation entry when the job is authorised (its nonce in the report data); before that, with
   * the older binding, which the owner refuses anyway for want of an authorisation.
   */
  KeyReleaseRequest request(DatasetVersion d) {
    return request(d, enclave);
  }

  KeyReleaseRequest request(DatasetVersion d, HpkeKeyPair session) {
    var authorisation = consortium.authorisationOf(job);
    byte[] reportData = authorisation.map(a -> KeyReleaseRequest.reportData(job.id(), d, session.publicKey(), a))
        .orElseGet(() -> KeyReleaseRequest.reportData(job.id(), d, session.publicKey()));
    AttestationEvidence e = consortium.provider.attest(reportData);
    return new KeyReleaseRequest(job.id(), d, e, session.publicKey(), authorisation);
  }

  @Override
  public void close() {
    consortium.close();
  }
}
