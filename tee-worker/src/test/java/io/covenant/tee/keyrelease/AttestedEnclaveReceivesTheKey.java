package io.covenant.tee.keyrelease;

import io.covenant.core.keyrelease.KeyReleaseRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestedEnclaveReceivesTheKey {
  @TempDir Path dir;

  @Test
  void theOwnerReleasesTheDataKeySealedToTheEnclaveAndRecordsIt() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      KeyReleaseRequest request = s.request();
      SealedMessage sealed = s.consortium.keyService(s.owner).release(request);

      DataKey key = request.openReleasedKey(sealed, s.enclave);
      assertArrayEquals(s.owner.rawKeysForTests.get(s.dataset), key.exportForWrapping());

      List<LedgerEntry> events = s.consortium.ledger.entriesForJob(s.job.id());
      AuditEvent.AttestationVerified verified = (AuditEvent.AttestationVerified) events.get(events.size() - 2).event().event();
      AuditEvent.KeyReleased released = (AuditEvent.KeyReleased) events.getLast().event().event();
      assertEquals(s.owner.org(), events.getLast().event().actor());
      assertEquals(s.owner.org(), events.get(events.size() - 2).event().actor());
      assertTrue(verified.simulated() && released.simulated(), "simulation is recorded as such");
      assertEquals(SimulatedAttestationProvider.codeMeasurement(), released.measurement());
      assertEquals(SimulatedAttestationProvider.codeMeasurement(), verified.measurement());
      assertEquals(request.evidence().hash(io.covenant.core.crypto.CryptoSuite.INTL), verified.evidenceHash());
      assertEquals(s.dataset, released.dataset());
      assertEquals(s.enclave.publicKey().fingerprint(), released.recipientKey());
    }
  }

  @Test
  void nobodyElseCanOpenTheReleasedKey() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      KeyReleaseRequest request = s.request();
      SealedMessage sealed = s.consortium.keyService(s.owner).release(request);

      HpkeKeyPair eavesdropper = HpkeKeyPair.generate();
      assertThrows(MalformedInputException.class, () -> request.openReleasedKey(sealed, eavesdropper));
      KeyReleaseRequest posing = new KeyReleaseRequest(JobId.random(), s.dataset, request.evidence(), eavesdropper.publicKey());
      assertThrows(IntegrityException.class, () -> posing.openReleasedKey(sealed, eavesdropper));
      KeyReleaseRequest otherJob = new KeyReleaseRequest(JobId.random(), s.dataset, request.evidence(), s.enclave.publicKey());
      assertThrows(IntegrityException.class, () -> otherJob.openReleasedKey(sealed, s.enclave));
    }
  }
}
