package io.covenant.tee.keyrelease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.tee.compute.InputDataset;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.compute.TeeWorker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that dies after its key was released leaves behind, at most, the released key sealed to that session's
 * ephemeral enclave key (a host that recorded the traffic has those bytes). The key pair lived only in the dead
 * session's memory; the retry generates a fresh one, so the recorded bytes open under no later session's key, and the
 * owner's release to the retry is sealed to a different key, as the ledger's KEY_RELEASED records show.
 */
class KeyReleasedToADeadSessionIsUselessToTheNext {
  @TempDir Path dir;

  @Test
  void aSecondSessionCannotOpenTheKeySealedToTheFirst() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      HpkeKeyPair firstSession = s.enclave;
      SealedMessage recorded = s.consortium.keyService(s.owner).release(s.request());

      HpkeKeyPair secondSession = HpkeKeyPair.generate(); // what the retry's TeeWorker.load generates
      var retry = s.request(s.dataset, secondSession);
      var e = assertThrows(IntegrityException.class, () -> retry.openReleasedKey(recorded, secondSession));
      assertTrue(e.getMessage().contains("sealed to another enclave key"), e.getMessage());

      // The retry gets its own release, which the first session's key (were it recovered) could not open either.
      SealedMessage toRetry = s.consortium.keyService(s.owner).release(retry);
      retry.openReleasedKey(toRetry, secondSession).destroy();
      var first = s.request(s.dataset, firstSession);
      assertThrows(IntegrityException.class, () -> first.openReleasedKey(toRetry, firstSession));
    }
  }

  @Test
  void eachRunOfTheWorkerAsksWithANewEnclaveKey() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      List<SealedMessage> released = new ArrayList<>();
      KeyService owner = s.consortium.keyService(s.owner);
      KeyService recording = request -> {
        SealedMessage m = owner.release(request);
        released.add(m);
        return m;
      };
      var input = new InputDataset(s.dataset, s.consortium.manifestOf(s.dataset), s.owner.credentials.signingKey().verifyingKey(), recording,
          s.owner.policies.get(s.datasetId()));
      TeeJob job = new TeeJob(s.job, List.of(input), s.consortium.consumerKeys().publicKey(), s.consortium.authorisationOf(s.job));
      TeeWorker worker = new TeeWorker(s.consortium.provider, s.consortium.blockstore);
      worker.run(job); // the first session, whose memory is then gone
      worker.run(job); // the retry

      List<Digest> recipients = s.consortium.ledger.entriesForJob(s.job.id()).stream()
          .map(x -> x.event().event())
          .filter(AuditEvent.KeyReleased.class::isInstance)
          .map(x -> ((AuditEvent.KeyReleased) x).recipientKey())
          .toList();
      assertEquals(2, recipients.size());
      assertNotEquals(recipients.get(0), recipients.get(1), "each session seals its key release to an enclave key of its own");
      assertEquals(2, released.size());
      assertNotEquals(Digest.sha256(released.get(0).toBytes()), Digest.sha256(released.get(1).toBytes()));
    }
  }
}
