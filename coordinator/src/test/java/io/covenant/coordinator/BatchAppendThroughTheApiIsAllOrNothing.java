package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import io.covenant.core.id.Purpose;
import io.covenant.core.id.Measurement;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.mirror.HttpLedgerSource;
import io.covenant.ledger.mirror.LedgerSource;
import io.covenant.ledger.mirror.MirroredLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/ledger/events/batch}, through which an owner's node records ATTESTATION_VERIFIED and KEY_RELEASED
 * together: a batch is admitted event by event as {@code POST /api/ledger/events} admits one, and one refused event
 * (another owner's dataset, a forged signature, a submission that must go through POST /api/jobs) refuses the batch
 * with nothing appended. An accepted batch answers consecutive entries and a checkpoint covering them, which a node's
 * mirror verifies without asking again; {@code GET /api/ledger/update} answers a catch-up in one request.
 */
class BatchAppendThroughTheApiIsAllOrNothing {
  static final OrgId A = OrgId.of("hospital-a");
  static final OrgId B = OrgId.of("hospital-b");
  static final DatasetVersion CLAIMS_A = new DatasetVersion(new DatasetId(A, "claims"), 1);
  static final DatasetVersion CLAIMS_B = new DatasetVersion(new DatasetId(B, "claims"), 1);
  static final Measurement ENCLAVE = new Measurement("ab".repeat(32));
  @TempDir static Path dir;
  static ApiServer api;
  static VerifyingKey logKey;
  static OrgCredentials a;
  static LedgerSource source;

  @BeforeAll
  static void start() {
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      d.createOrganisation(A, "Hospital A", Set.of(OrgRole.OWNER));
      d.createOrganisation(B, "Hospital B", Set.of(OrgRole.OWNER));
      logKey = d.ledger().checkpoint().logKey();
    }
    api = new ApiServer(dir);
    a = LocalKeys.of(dir, A);
    source = new HttpLedgerSource(HttpClient.newHttpClient(), URI.create(api.base));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static long ledgerSize() {
    return Json.parseObject(api.get("/health").body()).number("ledgerSize");
  }

  private static SignedEvent signedByA(AuditEvent event) {
    return SignedEvent.sign(event, a.org(), a.signingKey(), Instant.now());
  }

  private static List<SignedEvent> release(JobId job, DatasetVersion dataset) {
    return List.of(
        signedByA(new AuditEvent.AttestationVerified(job, ENCLAVE, "simulation", true, Digest.sha256(new byte[] {1}))),
        signedByA(new AuditEvent.KeyReleased(job, dataset, ENCLAVE, true, Digest.sha256(new byte[] {2}))));
  }

  private static void refusedWithNothingAppended(List<SignedEvent> batch, String fragment) {
    long before = ledgerSize();
    var e = assertThrows(LedgerRejectedException.class, () -> source.appendAll(batch));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertEquals(before, ledgerSize(), "a refused batch appends nothing");
  }

  @Test
  void anOwnersReleaseIsAppendedAsOneAndItsMirrorVerifiesTheAnswer() {
    try (MirroredLedger mirror = new MirroredLedger(source, logKey, Optional.empty())) {
      long before = mirror.size();
      List<LedgerEntry> entries = mirror.appendAll(release(JobId.random(), CLAIMS_A));
      assertEquals(List.of(before, before + 1), entries.stream().map(LedgerEntry::index).toList());
      assertEquals(before + 2, mirror.size());
      assertEquals(ledgerSize(), mirror.size());
    }
  }

  @Test
  void othersAppendsSinceTheMirrorsLastLookComeWithTheAnswer() {
    try (MirroredLedger mirror = new MirroredLedger(source, logKey, Optional.empty())) {
      long held = mirror.size();
      // Another node's release lands after this mirror last looked: the answer carries it, so the mirror pages for nothing.
      source.appendAll(release(JobId.random(), CLAIMS_A));
      LedgerSource.LogUpdate answer = source.appendAll(release(JobId.random(), CLAIMS_A), held);
      assertEquals(held, answer.entries().get(0).index());
      assertEquals(answer.checkpoint().treeSize(), held + answer.entries().size());
      List<LedgerEntry> mine = mirror.appendAll(release(JobId.random(), CLAIMS_A));
      assertEquals(ledgerSize(), mirror.size());
      assertEquals(ledgerSize() - 2, mine.get(0).index());
      assertEquals(400, api.postJson("/ledger/events/batch?from=-1", Json.obj("events", List.of(release(JobId.random(), CLAIMS_A).get(0).toJson())).encode())
          .statusCode());
    }
  }

  @Test
  void oneEventAboutAnotherOwnersDatasetRefusesTheBatch() {
    refusedWithNothingAppended(release(JobId.random(), CLAIMS_B), "only its owner hospital-b records");
  }

  @Test
  void aForgedEventRefusesTheBatch() {
    List<SignedEvent> batch = new ArrayList<>(release(JobId.random(), CLAIMS_A));
    SignedEvent real = batch.get(1);
    batch.set(1, SignedEvent.fromJson(Json.parseObject(real.toJson().encode().replace(ENCLAVE.hex(), "cd".repeat(32)))));
    refusedWithNothingAppended(batch, "does not verify");
  }

  @Test
  void aSubmissionCannotRideInABatch() {
    JobId job = JobId.random();
    List<SignedEvent> batch = new ArrayList<>(release(job, CLAIMS_A));
    batch.add(signedByA(new AuditEvent.JobSubmitted(job, A, List.of(CLAIMS_A), Engine.TEE, new Purpose("risk-model"), Digest.sha256(new byte[] {3}))));
    refusedWithNothingAppended(batch, "POST /api/jobs");
  }

  @Test
  void anEmptyOrOversizedBatchIsABadRequest() {
    long before = ledgerSize();
    assertEquals(400, api.postJson("/ledger/events/batch", "{\"events\": []}").statusCode());
    List<Json> many = new ArrayList<>();
    for (int i = 0; i < 17; i++) many.add(release(JobId.random(), CLAIMS_A).get(0).toJson());
    var r = api.postJson("/ledger/events/batch", Json.obj("events", many).encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Json.parseObject(r.body()).string("error").contains("1 to 16"), r.body());
    assertEquals(before, ledgerSize());
  }

  @Test
  void anUpdateIsTheCheckpointAndTheEntriesItCovers() {
    LedgerSource.LogUpdate update = source.since(2);
    assertTrue(update.checkpoint().verify());
    assertEquals(logKey, update.checkpoint().logKey());
    assertEquals(update.checkpoint().treeSize() - 2, update.entries().size());
    assertEquals(2, update.entries().get(0).index());
    assertTrue(source.since(update.checkpoint().treeSize() + 5).entries().isEmpty());
    assertEquals(400, api.get("/ledger/update?from=-1").statusCode());
  }
}
