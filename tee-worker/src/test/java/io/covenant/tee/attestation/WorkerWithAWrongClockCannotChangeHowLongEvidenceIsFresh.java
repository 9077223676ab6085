package io.covenant.tee.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker whose clock is wrong, by accident or on purpose, dates its evidence (the hardware signs no time; the
 * simulation signs what the worker's clock says). It can neither shorten nor stretch how long its evidence is
 * accepted: the owner judges freshness on the ledger, by the entries appended since the job's JOB_AUTHORIZED (here the
 * policy allows 4), never by the evidence's date or its own clock. Evidence dated two days ahead or behind is
 * accepted while the ledger says it is fresh; evidence dated at the very moment of the authorisation is refused once
 * the ledger has moved past the window. For each kind of evidence.
 */
class WorkerWithAWrongClockCannotChangeHowLongEvidenceIsFresh {
  private static final long WINDOW = 4;
  @TempDir Path dir;

  private static Clock offBy(Duration d) {
    return Clock.offset(Clock.systemUTC(), d);
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void evidenceDatedFarAheadOrBehindIsAcceptedWhileTheLedgerSaysFresh(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, WINDOW)) {
      for (Duration skew : new Duration[] {Duration.ofDays(2), Duration.ofDays(-2)}) {
        JobRequest job = s.authorisedJob();
        s.grow(2); // the KEY_RELEASED will stand 4 entries after the authorisation: the last one the window allows
        HpkeKeyPair session = HpkeKeyPair.generate();
        KeyReleaseRequest request = s.request(job, session, offBy(skew));
        request.openReleasedKey(s.keys().release(request), session).destroy();
        AuditEvent.KeyReleased released = s.releases(job).getFirst();
        AuditEvent.Freshness f = released.freshness().orElseThrow();
        assertEquals(s.anchorOf(job).index(), f.authorisation());
        assertEquals(s.anchorOf(job).nonce(io.covenant.core.crypto.CryptoSuite.INTL, session.publicKey().fingerprint()), f.nonce());
        assertEquals(WINDOW, f.windowEntries());
      }
      assertTrue(s.verifyLedger().ok(), "the releases verify");
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void evidenceDatedAtTheAuthorisationIsRefusedOnceTheLedgerMovedOn(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, WINDOW)) {
      JobRequest job = s.authorisedJob();
      Instant authorisedAt = s.consortium.ledger.entries(s.anchorOf(job).index(), s.anchorOf(job).index() + 1).get(0).event().issuedAt();
      s.grow(3); // a KEY_RELEASED would stand 5 entries after the authorisation
      KeyReleaseRequest request = s.request(job, HpkeKeyPair.generate(), Clock.fixed(authorisedAt, ZoneOffset.UTC));
      var x = s.refused(s.keys(), request, Reason.AUTHORISATION_EXPIRED);
      assertTrue(x.getMessage().contains("would stand 5 entries after the authorisation, past the 4"), x.getMessage());
      assertTrue(x.getMessage().contains("not by any clock"), x.getMessage());
      assertEquals(0, s.releases(job).size());
    }
  }
}
