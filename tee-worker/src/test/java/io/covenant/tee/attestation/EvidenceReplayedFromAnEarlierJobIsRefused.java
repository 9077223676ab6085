package io.covenant.tee.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.node.keyrelease.OwnerKeyService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A host that recorded genuine evidence from an enclave (simulated, SEV-SNP or TDX) in an earlier job replays it to
 * obtain the key for a later job: it names the later job and that job's authorisation entry, and keeps the enclave key
 * of the earlier session. The evidence carries the nonce of the earlier job's authorisation, so the owner refuses it as
 * {@code stale-nonce}, says it was replayed, and records the refusal; no key is released for the later job. Evidence
 * prepared before a job is authorised cannot carry its nonce either: the authorisation's leaf hash did not exist yet.
 */
class EvidenceReplayedFromAnEarlierJobIsRefused {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void evidenceOfAnEarlierJobIsAStaleNonce(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, 100)) {
      OwnerKeyService keys = s.keys();
      JobRequest earlier = s.authorisedJob();
      HpkeKeyPair session = HpkeKeyPair.generate();
      KeyReleaseRequest genuine = s.request(earlier, session, Clock.systemUTC());
      genuine.openReleasedKey(keys.release(genuine), session).destroy(); // the evidence is genuine: it got the earlier job's key

      JobRequest later = s.authorisedJob();
      KeyReleaseRequest replayed = new KeyReleaseRequest(later.id(), s.dataset, genuine.evidence(), session.publicKey(), s.anchorOf(later));
      var x = s.refused(keys, replayed, Reason.STALE_NONCE);
      assertTrue(x.getMessage().contains("replayed from an earlier job"), x.getMessage());
      assertTrue(x.getMessage().contains(s.anchorOf(later).nonce(io.covenant.core.crypto.CryptoSuite.INTL, session.publicKey().fingerprint()).shortForm()), "names the nonce it expected: " + x.getMessage());
      assertEquals(0, s.releases(later).size(), "nothing was released for the later job");
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void evidencePreparedBeforeTheAuthorisationCannotCarryItsNonce(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, 100)) {
      JobRequest job = s.consortium.submit(FreshnessSetup.SQL, java.util.List.of(s.dataset));
      HpkeKeyPair session = HpkeKeyPair.generate();
      // The host sees the submission and guesses where the authorisation will land; it cannot know its leaf hash.
      AuthorisationEntry guess = new AuthorisationEntry(s.consortium.ledger.size(), Digest.sha256(job.id().value().getBytes(StandardCharsets.UTF_8)));
      byte[] prepared = KeyReleaseRequest.reportData(job.id(), s.dataset, session.publicKey(), guess);
      var evidence = s.kinds.attest(kind, prepared, Clock.systemUTC());
      s.consortium.authorize(job);
      assertEquals(guess.index(), s.anchorOf(job).index(), "the guess of the position was right");

      KeyReleaseRequest request = new KeyReleaseRequest(job.id(), s.dataset, evidence, session.publicKey(), s.anchorOf(job));
      var x = s.refused(s.keys(), request, Reason.STALE_NONCE);
      assertTrue(x.getMessage().contains("made before this authorisation existed"), x.getMessage());
      assertEquals(0, s.releases(job).size());
    }
  }
}
