package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The owner's sidecar is killed while it scores: the scoring fails with an error that names the sidecar, its process
 * and the operation, later calls fail the same way instead of hanging, old handles are refused after the restart, and
 * the same job then succeeds on the restarted sidecar.
 */
class KilledSidecarIsNamedAndRestartWorks {
  private static SealSidecar insurer;
  private static SealSidecar owner;

  @BeforeAll
  static void start() {
    insurer = Sidecars.start("insurer");
    owner = Sidecars.start("owner-node");
  }

  @AfterAll
  static void stop() {
    insurer.close();
    owner.close();
  }

  @Test
  void killedMidScoringThenRetried() throws Exception {
    ScoringModel model = ScoringModel.logistic(ScoringParties.weights(20, 5), 0.1);
    double[][] rows = ScoringParties.rows(12_000, 20, 6); // three blocks, a few hundred sidecar calls
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      EncryptedModel encrypted = consumer.encryptModel();
      ScoringOwner scoring = new ScoringOwner(owner, ScoringPolicy.noNoise(20_000));
      long before = owner.operationsAnswered();
      long pid = owner.pid();
      CompletableFuture<EncryptedScores> job = CompletableFuture.supplyAsync(() -> scoring.score(encrypted, rows));
      while (owner.operationsAnswered() < before + 40 && !job.isDone()) Thread.sleep(5);
      assertFalse(job.isDone(), "the job finished before the sidecar could be killed");
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      CompletionException failed = assertThrows(CompletionException.class, job::join);
      HeSidecarException e = (HeSidecarException) failed.getCause();
      assertTrue(e.getMessage().contains("'owner-node'") && e.getMessage().contains("pid " + pid) && e.getMessage().contains("died during"), e.getMessage());
      assertTrue(e.getMessage().contains("restart"), e.getMessage());
      assertFalse(owner.isHealthy());

      HeSidecarException again = assertThrows(HeSidecarException.class, () -> owner.context(HeParameters.CKKS_SCORING));
      assertTrue(again.getMessage().contains("'owner-node'") && again.getMessage().contains("Restart it"), again.getMessage());

      owner.restart();
      assertTrue(owner.isHealthy());
      assertTrue(owner.pid() != pid);
      EncryptedScores scores = scoring.score(encrypted, rows);
      ScoringConsumer.Scores decrypted = consumer.decrypt(scores, encrypted, scores.digest());
      assertEquals(rows.length, decrypted.values().length);
      assertTrue(EncryptedScoresMatchPlaintextScores.maxError(model, rows, decrypted.values()) <= decrypted.precision().bound());
    }
  }

  @Test
  void handlesFromBeforeARestartAreRefused() {
    HeContext before = owner.context(HeParameters.BFV_AGGREGATE);
    owner.restart();
    HeSidecarException e = assertThrows(HeSidecarException.class, () -> owner.generateKeys(before));
    assertTrue(e.getMessage().contains("before it was restarted"), e.getMessage());
  }

  @Test
  void aMissingNodeIsNamedWithWhatToInstall() {
    HeSidecarException e = assertThrows(HeSidecarException.class, () -> HeSidecarInstall.findProgram("covenant-no-such-node-program"));
    assertTrue(e.getMessage().contains("install Node.js"), e.getMessage());
  }
}
