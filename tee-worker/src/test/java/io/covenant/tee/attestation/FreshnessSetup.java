package io.covenant.tee.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One owner (hospital-a) with one dataset under a policy allow-listing one kind of evidence with a given freshness
 * window, and helpers to authorise jobs, grow the ledger, and ask for keys with evidence of that kind.
 */
final class FreshnessSetup implements AutoCloseable {
  static final String SQL = "SELECT count(*) FROM claims";
  final Path dir;
  final Consortium consortium;
  final Consortium.Owner owner;
  final DatasetVersion dataset = DatasetVersion.parse("hospital-a/claims@1");
  final EvidenceKinds kinds;
  final EvidenceKinds.Kind kind;

  FreshnessSetup(Path dir, EvidenceKinds.Kind kind, long windowEntries) {
    this.dir = dir;
    this.kind = kind;
    consortium = new Consortium(dir);
    owner = consortium.owner("hospital-a");
    consortium.publish(owner, dataset, Claims.SCHEMA, Claims.rows("a", 20, 1));
    kinds = new EvidenceKinds(consortium);
    kinds.publishPolicy(owner, dataset.dataset(), kind, windowEntries);
  }

  /** The consumer's submission of a count over the dataset, authorised by the coordinator. */
  JobRequest authorisedJob() {
    JobRequest job = consortium.submit(SQL, List.of(dataset));
    consortium.authorize(job);
    return job;
  }

  AuthorisationEntry anchorOf(JobRequest job) {
    return consortium.authorisationOf(job).orElseThrow(() -> new AssertionError(job.id() + " is not authorised"));
  }

  /** Appends {@code entries} other lawful entries (other jobs' submissions): the ledger's clock moves on. */
  void grow(int entries) {
    for (int i = 0; i < entries; i++) consortium.submit(SQL, List.of(dataset));
  }

  /** A genuine request of this setup's kind for {@code job}, bound to its authorisation, issued at {@code workerClock}'s time. */
  KeyReleaseRequest request(JobRequest job, HpkeKeyPair session, Clock workerClock) {
    return kinds.request(kind, job, dataset, session, anchorOf(job), workerClock);
  }

  OwnerKeyService keys() {
    return kinds.keyService(owner);
  }

  /** The owner's key service deciding on {@code view} of the ledger (a coordinator's lie, in the tests that need one). */
  OwnerKeyService keysOver(Ledger view) {
    return new OwnerKeyService(owner.credentials, consortium.coordinator.org(), owner.kek, v -> Optional.ofNullable(owner.wrappedKeys.get(v)),
        h -> Optional.ofNullable(owner.publishedPolicies.get(h)), view, kinds.verifier(), consortium.clock);
  }

  /** Asks {@code service}, expects a refusal for {@code reason}, and checks the owner signed it onto the ledger as the last entry. */
  KeyReleaseRefusedException refused(KeyService service, KeyReleaseRequest request, KeyReleaseRefusedException.Reason reason) {
    KeyReleaseRefusedException x = assertThrows(KeyReleaseRefusedException.class, () -> service.release(request));
    assertEquals(reason, x.reason(), x.getMessage());
    long size = consortium.ledger.size();
    var last = consortium.ledger.entries(size - 1, size).get(0).event();
    assertEquals(owner.org(), last.actor(), "the owner signs its refusal");
    var refusal = assertInstanceOf(AuditEvent.KeyReleaseRefused.class, last.event());
    assertEquals(KeyReleaseRefusedException.wireName(reason), refusal.reason());
    return x;
  }

  /** KEY_RELEASED entries of {@code job} on the ledger. */
  List<AuditEvent.KeyReleased> releases(JobRequest job) {
    return consortium.ledger.entriesForJob(job.id()).stream().map(e -> e.event().event())
        .filter(AuditEvent.KeyReleased.class::isInstance).map(AuditEvent.KeyReleased.class::cast).toList();
  }

  /** The whole ledger as an auditor verifies it, from an export. */
  VerificationReport verifyLedger() {
    Path export = dir.resolve("ledger-export-" + consortium.ledger.size() + ".jsonl");
    consortium.ledger.export(export);
    return LedgerVerifier.verify(LedgerExport.read(export));
  }

  @Override
  public void close() {
    consortium.close();
  }
}
