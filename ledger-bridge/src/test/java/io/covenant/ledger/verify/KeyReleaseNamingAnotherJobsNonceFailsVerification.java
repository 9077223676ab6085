package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.job.Engine;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An owner's KEY_RELEASED (version 2) states what its release was fresh against: the job's JOB_AUTHORIZED entry, the
 * attestation nonce the evidence carried, and the window of entries it allowed. An auditor recomputes the nonce from
 * the log. A release that names another job's authorisation, carries the nonce of another job's authorisation, or
 * stands past its own window fails {@code verify} at that entry, naming why; the honest release verifies.
 */
class KeyReleaseNamingAnotherJobsNonceFailsVerification {
  private final Scenario s = new Scenario();
  private final JobId earlier = new JobId("job-00000000000000e1");
  private final JobId job = new JobId("job-00000000000000e2");
  private final Digest recipient = Digest.sha256("enclave key of this session".getBytes(StandardCharsets.UTF_8));

  /**
   * Setup, then the earlier job and this job submitted and authorised: the earlier job's JOB_AUTHORIZED is entry 9,
   * this one's 11. Signed once, so that every history below shares these entries and their leaf hashes.
   */
  private final List<SignedEvent> authorised = authorise();

  private List<SignedEvent> authorise() {
    List<SignedEvent> all = new ArrayList<>(s.setup());
    all.add(s.submitted(earlier, Engine.TEE));
    all.add(s.authorized(earlier));
    all.add(s.submitted(job, Engine.TEE));
    all.add(s.authorized(job));
    return List.copyOf(all);
  }

  private List<SignedEvent> authorisedJobs() {
    return new ArrayList<>(authorised);
  }

  private AuthorisationEntry anchorAt(int index) {
    LedgerEntry e = Scenario.chain(authorised).get(index);
    assertTrue(e.event().event() instanceof AuditEvent.JobAuthorized, "entry " + index + " is a JOB_AUTHORIZED");
    return new AuthorisationEntry(index, e.leafHash());
  }

  private SignedEvent released(AuditEvent.Freshness freshness) {
    return s.sign(s.hospitalA, new AuditEvent.KeyReleased(job, s.claimsA, s.enclave, true, recipient, Optional.of(freshness)));
  }

  private static VerificationReport verify(List<SignedEvent> events) {
    return LedgerVerifier.verify(Scenario.export(Scenario.chain(events), SigningKey.generate()));
  }

  /** {@code events} ends with the release: it verifies without it and fails at it, saying {@code why}. */
  private static void failsAtTheRelease(List<SignedEvent> events, String why) {
    int release = events.size() - 1;
    assertTrue(verify(events.subList(0, release)).ok(), "without the release the history is lawful: " + verify(events.subList(0, release)));
    VerificationReport.Failure f = verify(events).failure().orElseThrow(() -> new AssertionError("the release was accepted"));
    assertEquals(release, f.index(), f.reason());
    assertTrue(f.reason().contains(why), "'" + f.reason() + "' should say " + why);
  }

  private List<SignedEvent> withRelease(AuditEvent.Freshness freshness) {
    List<SignedEvent> events = authorisedJobs();
    events.add(s.attested(s.hospitalA, job, s.enclave));
    events.add(released(freshness));
    return events;
  }

  @Test
  void aReleaseBoundToThisJobsAuthorisationVerifies() {
    AuthorisationEntry own = anchorAt(11);
    VerificationReport r = verify(withRelease(new AuditEvent.Freshness(11, own.nonce(io.covenant.core.crypto.CryptoSuite.INTL, recipient), 10)));
    assertTrue(r.ok(), r.toString());
  }

  @Test
  void aReleaseCarryingTheNonceOfAnotherJobsAuthorisationFails() {
    AuthorisationEntry other = anchorAt(9);
    failsAtTheRelease(withRelease(new AuditEvent.Freshness(11, other.nonce(io.covenant.core.crypto.CryptoSuite.INTL, recipient), 10)), "was not bound to this job's authorisation");
  }

  @Test
  void aReleaseNamingAnotherJobsAuthorisationEntryFails() {
    AuthorisationEntry other = anchorAt(9);
    failsAtTheRelease(withRelease(new AuditEvent.Freshness(9, other.nonce(io.covenant.core.crypto.CryptoSuite.INTL, recipient), 10)),
        "released against the authorisation at entry 9, but job " + job + "'s JOB_AUTHORIZED is entry 11");
  }

  @Test
  void aReleaseWhoseNonceIsForAnotherRecipientKeyFails() {
    AuthorisationEntry own = anchorAt(11);
    Digest anotherKey = Digest.sha256("another session".getBytes(StandardCharsets.UTF_8));
    failsAtTheRelease(withRelease(new AuditEvent.Freshness(11, own.nonce(io.covenant.core.crypto.CryptoSuite.INTL, anotherKey), 10)), "was not bound to this job's authorisation");
  }

  /** Four other jobs are submitted between the authorisation (entry 11) and the release (entry 17); the owner allowed 5. */
  private List<SignedEvent> releasedPastItsWindow() {
    List<SignedEvent> events = authorisedJobs();
    for (int i = 0; i < 4; i++) events.add(s.submitted(JobId.random(), Engine.TEE));
    events.add(s.attested(s.hospitalA, job, s.enclave));
    events.add(released(new AuditEvent.Freshness(11, anchorAt(11).nonce(io.covenant.core.crypto.CryptoSuite.INTL, recipient), 5)));
    return events;
  }

  @Test
  void aReleaseStandingPastItsOwnWindowFails() {
    failsAtTheRelease(releasedPastItsWindow(), "was released past the window its owner stated");
  }

  @Test
  void aReleasePastItsWindowThatItsOwnerWithdrewVerifiesButNoResultMayFollowIt() {
    List<SignedEvent> events = releasedPastItsWindow();
    events.add(s.sign(s.hospitalA, new AuditEvent.KeyReleaseRefused(job, s.claimsA, "authorisation-expired", "withheld: it landed past the window")));
    VerificationReport withdrawn = verify(events);
    assertTrue(withdrawn.ok(), withdrawn.toString());

    events.add(s.result(job, Engine.TEE, Optional.of(s.enclave), List.of(s.manifestA, s.manifestB)));
    VerificationReport.Failure f = verify(events).failure().orElseThrow(() -> new AssertionError("a result on a void release was accepted"));
    assertEquals(events.size() - 1, f.index(), f.reason());
    assertTrue(f.reason().contains("KEY_RELEASED of " + s.claimsA + " at entry 17, which stands past the window"), f.reason());
  }
}
