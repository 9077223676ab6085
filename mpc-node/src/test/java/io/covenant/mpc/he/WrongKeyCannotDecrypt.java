package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scores made for one insurer cannot be read by another. Two layers, each tested: the key id the scores carry is
 * refused before any decryption; scores relabelled with the other insurer's key id (and a matching ledger record) are
 * decrypted, come out as garbage, and are caught by the probe rows, so no value is released.
 */
class WrongKeyCannotDecrypt {
  private static SealSidecar insurers;
  private static SealSidecar owner;

  @BeforeAll
  static void start() {
    insurers = Sidecars.start("insurers");
    owner = Sidecars.start("owner");
  }

  @AfterAll
  static void stop() {
    insurers.close();
    owner.close();
  }

  @Test
  void scoresForAnotherKeyAreRefusedByKeyId() {
    ScoringModel model = ScoringModel.logistic(new double[] {0.3, -0.2, 0.1}, 0);
    try (ScoringConsumer alice = new ScoringConsumer(insurers, model); ScoringConsumer mallory = new ScoringConsumer(insurers, model)) {
      EncryptedModel aliceModel = alice.encryptModel();
      EncryptedScores forAlice = new ScoringOwner(owner, ScoringPolicy.noNoise(100)).score(aliceModel, ScoringParties.rows(50, 3, 1));
      WrongKeyException e = assertThrows(WrongKeyException.class, () -> mallory.decrypt(forAlice, aliceModel, forAlice.digest()));
      assertTrue(e.getMessage().contains("not this consumer's key"), e.getMessage());
    }
  }

  @Test
  void relabelledScoresDecryptToGarbageAndAreRefused() {
    ScoringModel model = ScoringModel.logistic(new double[] {0.3, -0.2, 0.1}, 0);
    try (ScoringConsumer alice = new ScoringConsumer(insurers, model); ScoringConsumer mallory = new ScoringConsumer(insurers, model)) {
      EncryptedScores forAlice = new ScoringOwner(owner, ScoringPolicy.noNoise(100)).score(alice.encryptModel(), ScoringParties.rows(50, 3, 1));
      EncryptedModel malloryModel = mallory.encryptModel();
      EncryptedScores relabelled = new EncryptedScores(mallory.keyId(), malloryModel.digest(), forAlice.rows(), forAlice.rowsPerBlock(), forAlice.probes(),
          forAlice.noiseAmplitude(), forAlice.blocks());
      WrongKeyException e = assertThrows(WrongKeyException.class, () -> mallory.decrypt(relabelled, malloryModel, relabelled.digest()));
      assertTrue(e.getMessage().contains("probe rows decrypt"), e.getMessage());
    }
  }
}
