package io.covenant.tee.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.ledger.Authorisations;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A coordinator wants a key released against an authorisation that has expired on the ledger's clock (the log has
 * grown past the owner's window since JOB_AUTHORIZED). It shows the owner a doctored ledger:
 *
 * <ul>
 *   <li>it withholds the newest entries, so the authorisation looks recent. The owner decides on what it was shown, but
 *       its batch append lands where the log really is: it sees its KEY_RELEASED stand past the window, keeps the
 *       sealed key, and records the refusal ({@code authorisation-expired}, naming the withheld entries), which
 *       declares that KEY_RELEASED void: {@code verify} then refuses any result that follows it (and, were the refusal
 *       missing, the KEY_RELEASED itself);
 *   <li>it moves the job's JOB_AUTHORIZED next to the head (and tells the worker the same). The owner's KEY_RELEASED
 *       states the entry and nonce it relied on, so {@code verify} of the real log names the mismatch. (A node's
 *       {@code MirroredLedger} refuses such a log outright: its hash links break, see {@code MirrorRefusesALyingCoordinator}.)
 * </ul>
 *
 * Shown the real ledger, the owner refuses up front and records nothing but the refusal. For each kind of evidence.
 */
class CoordinatorWithholdingLedgerEntriesCannotMakeStaleEvidenceFresh {
  private static final long WINDOW = 4;
  @TempDir Path dir;

  /** The ledger as a lying coordinator serves it to one owner; appends go to the real log. */
  private abstract static class DoctoredLedger implements Ledger {
    final Ledger real;

    DoctoredLedger(Ledger real) {
      this.real = real;
    }

    @Override
    public LedgerEntry append(SignedEvent event) {
      return real.append(event);
    }

    @Override
    public List<LedgerEntry> appendAll(List<SignedEvent> events) {
      return real.appendAll(events);
    }

    @Override
    public Optional<AuditEvent.OrgRegistered> organisation(OrgId org) {
      return real.organisation(org);
    }

    @Override
    public SignedCheckpoint checkpoint() {
      return real.checkpoint();
    }

    @Override
    public InclusionProof proveInclusion(long index, long treeSize) {
      return real.proveInclusion(index, treeSize);
    }

    @Override
    public ConsistencyProof proveConsistency(long oldSize, long newSize) {
      return real.proveConsistency(oldSize, newSize);
    }

    @Override
    public void export(Path file) {
      real.export(file);
    }

    @Override
    public void close() {}
  }

  /** Shows only the first {@code shown} entries until the owner appends; then, as a mirror would, everything. */
  private static final class WithholdingLedger extends DoctoredLedger {
    private long shown;

    WithholdingLedger(Ledger real, long shown) {
      super(real);
      this.shown = shown;
    }

    @Override
    public List<LedgerEntry> appendAll(List<SignedEvent> events) {
      List<LedgerEntry> out = real.appendAll(events);
      shown = Long.MAX_VALUE;
      return out;
    }

    @Override
    public long size() {
      return Math.min(real.size(), shown);
    }

    @Override
    public List<LedgerEntry> entries(long fromInclusive, long toExclusive) {
      if (toExclusive > size()) throw new IllegalArgumentException("beyond the shown log");
      return real.entries(fromInclusive, toExclusive);
    }

    @Override
    public List<LedgerEntry> entriesForJob(JobId job) {
      return real.entriesForJob(job).stream().filter(e -> e.index() < size()).toList();
    }
  }

  /** Shows the job's JOB_AUTHORIZED as if it were the last entry (same event, the head's position and link). */
  private static final class ReorderingLedger extends DoctoredLedger {
    private final JobId job;

    ReorderingLedger(Ledger real, JobId job) {
      super(real);
      this.job = job;
    }

    @Override
    public long size() {
      return real.size();
    }

    @Override
    public List<LedgerEntry> entries(long fromInclusive, long toExclusive) {
      return real.entries(fromInclusive, toExclusive);
    }

    @Override
    public List<LedgerEntry> entriesForJob(JobId id) {
      List<LedgerEntry> entries = real.entriesForJob(id);
      if (!id.equals(job)) return entries;
      long head = real.size() - 1;
      LedgerEntry last = real.entries(head, head + 1).get(0);
      return entries.stream()
          .map(e -> e.event().event() instanceof AuditEvent.JobAuthorized ? new LedgerEntry(head, e.event(), last.previous(), e.suite()) : e)
          .toList();
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void shownTheRealLedgerTheOwnerRefusesUpFront(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, WINDOW)) {
      JobRequest job = s.authorisedJob();
      s.grow(6);
      var x = s.refused(s.keys(), s.request(job, HpkeKeyPair.generate(), Clock.systemUTC()), Reason.AUTHORISATION_EXPIRED);
      assertTrue(x.getMessage().contains("past the 4"), x.getMessage());
      assertEquals(0, s.releases(job).size());
      assertTrue(s.verifyLedger().ok());
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void withheldEntriesAreSeenAtTheAppendAndTheKeyStaysWithTheOwner(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, WINDOW)) {
      JobRequest job = s.authorisedJob();
      AuthorisationEntry anchor = s.anchorOf(job);
      s.grow(6);
      long realSize = s.consortium.ledger.size();
      WithholdingLedger shown = new WithholdingLedger(s.consortium.ledger, anchor.index() + 1);

      KeyReleaseRequest request = s.request(job, HpkeKeyPair.generate(), Clock.systemUTC());
      KeyReleaseRefusedException x = assertThrows(KeyReleaseRefusedException.class, () -> s.keysOver(shown).release(request));
      assertEquals(Reason.AUTHORISATION_EXPIRED, x.reason(), x.getMessage());
      assertTrue(x.getMessage().contains("entries it had not been shown (withheld from it, or appended meanwhile)"), x.getMessage());
      assertTrue(x.getMessage().contains("nothing was handed over"), x.getMessage());

      // The records landed at the real end of the log; the owner's refusal follows them.
      List<LedgerEntry> tail = s.consortium.ledger.entries(realSize, s.consortium.ledger.size());
      assertEquals(3, tail.size());
      long releasedAt = tail.get(1).index();
      assertInstanceOf(AuditEvent.KeyReleased.class, tail.get(1).event().event());
      var refusal = assertInstanceOf(AuditEvent.KeyReleaseRefused.class, tail.get(2).event().event());
      assertEquals("authorisation-expired", refusal.reason());

      // The owner's refusal declares that KEY_RELEASED void: the trail verifies, but no result may rest on it.
      assertTrue(s.verifyLedger().ok(), "the withdrawn release is lawful");
      s.consortium.append(s.consortium.coordinator, new AuditEvent.ResultCommitted(job.id(), io.covenant.core.crypto.Digest.sha256(new byte[] {7}),
          io.covenant.core.job.Engine.TEE, Optional.of(s.kinds.measurement(kind)), kind == EvidenceKinds.Kind.SIMULATED,
          List.of(s.consortium.manifestOf(s.dataset)), 1, 0));
      VerificationReport.Failure f = s.verifyLedger().failure().orElseThrow(() -> new AssertionError("verify accepted a result on a void release"));
      assertEquals(s.consortium.ledger.size() - 1, f.index(), f.reason());
      assertTrue(f.reason().contains("at entry " + releasedAt + ", which stands past the window its owner stated"), f.reason());
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void anAuthorisationMovedNextToTheHeadIsNamedByVerify(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, WINDOW)) {
      JobRequest job = s.authorisedJob();
      long realAnchor = s.anchorOf(job).index();
      s.grow(6);
      ReorderingLedger shown = new ReorderingLedger(s.consortium.ledger, job.id());
      AuthorisationEntry moved = Authorisations.of(shown, job.id()).orElseThrow(); // what the coordinator tells the worker too
      assertFalse(moved.index() == realAnchor);

      HpkeKeyPair session = HpkeKeyPair.generate();
      KeyReleaseRequest request = s.kinds.request(kind, job, s.dataset, session, moved, Clock.systemUTC());
      request.openReleasedKey(s.keysOver(shown).release(request), session).destroy(); // the owner's view was the lie

      AuditEvent.Freshness stated = s.releases(job).getFirst().freshness().orElseThrow();
      assertEquals(moved.index(), stated.authorisation(), "the owner states the entry it relied on");
      VerificationReport.Failure f = s.verifyLedger().failure().orElseThrow(() -> new AssertionError("verify accepted a moved authorisation"));
      assertTrue(f.reason().contains("released against the authorisation at entry " + moved.index() + ", but job " + job.id()
          + "'s JOB_AUTHORIZED is entry " + realAnchor), f.reason());
    }
  }
}
