package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedLedger#appendAll}, which an owner's ATTESTATION_VERIFIED and KEY_RELEASED go through: every event is
 * checked before any is sequenced, so one forged, unregistered or (for batches) registering event appends nothing,
 * not even the valid events before it; a valid batch lands as consecutive entries, even among concurrent appenders,
 * and survives a reopen.
 */
class BatchWithAForgedEventAppendsNothing {
  @TempDir Path dir;
  private final Scenario s = new Scenario();
  private final SigningKey logKey = SigningKey.generate();

  private EmbeddedLedger opened() {
    EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey);
    List<SignedEvent> setup = s.setup();
    ledger.appendAll(setup.subList(0, 1)); // a one-event batch is an ordinary append: a registration may go alone
    for (SignedEvent e : setup.subList(1, setup.size())) ledger.append(e);
    return ledger;
  }

  private void assertNothingAppended(EmbeddedLedger ledger, List<SignedEvent> batch, String... fragments) {
    long before = ledger.size();
    var root = ledger.checkpoint().rootHash();
    LedgerRejectedException x = assertThrows(LedgerRejectedException.class, () -> ledger.appendAll(batch));
    for (String f : fragments) assertTrue(x.getMessage().contains(f), "'" + x.getMessage() + "' should mention " + f);
    assertEquals(before, ledger.size(), "a rejected batch writes nothing");
    assertEquals(root, ledger.checkpoint().rootHash());
  }

  @Test
  void anEventAlteredAfterSigningRejectsTheWholeBatch() {
    try (EmbeddedLedger ledger = opened()) {
      JobId job = JobId.random();
      SignedEvent attested = s.attested(s.hospitalA, job, s.enclave);
      SignedEvent released = s.keyReleased(s.hospitalA, job, s.claimsA, s.enclave);
      SignedEvent altered = SignedEvent.fromJson(Json.parseObject(released.toJson().encode().replace(s.enclave.hex(), s.otherEnclave.hex())));
      assertNothingAppended(ledger, List.of(attested, altered), "hospital-a", "KEY_RELEASED", "does not verify", "nothing in the batch");
      assertTrue(ledger.entriesForJob(job).isEmpty(), "the valid event before the forged one was not kept either");
    }
  }

  @Test
  void anUnsignedOrWronglySignedEventRejectsTheBatch() {
    try (EmbeddedLedger ledger = opened()) {
      JobId job = JobId.random();
      SignedEvent attested = s.attested(s.hospitalA, job, s.enclave);
      SignedEvent signedByAnother = SignedEvent.sign(s.keyReleased(s.hospitalA, job, s.claimsA, s.enclave).event(), s.hospitalA.org(),
          s.hospitalB.signingKey(), java.time.Instant.now());
      assertNothingAppended(ledger, List.of(attested, signedByAnother), "hospital-a", "KEY_RELEASED");
      OrgCredentials stranger = OrgCredentials.generate(OrgId.of("stranger"));
      SignedEvent fromStranger = s.sign(stranger, s.attested(s.hospitalA, job, s.enclave).event());
      assertNothingAppended(ledger, List.of(attested, fromStranger), "stranger", "has not registered");
    }
  }

  @Test
  void aRegistrationIsAppendedAloneNotInABatch() {
    try (EmbeddedLedger ledger = opened()) {
      OrgCredentials newcomer = OrgCredentials.generate(OrgId.of("hospital-c"));
      SignedEvent reg = s.register(newcomer);
      assertNothingAppended(ledger, List.of(reg, s.attested(s.hospitalA, JobId.random(), s.enclave)), "ORG_REGISTERED", "appended alone");
    }
  }

  @Test
  void validBatchesLandConsecutivelyAmongConcurrentAppendersAndSurviveAReopen() throws Exception {
    List<List<LedgerEntry>> batches = new ArrayList<>();
    long size;
    try (EmbeddedLedger ledger = opened(); ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<List<LedgerEntry>>> pending = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        JobId job = JobId.random();
        OrgCredentials owner = i % 2 == 0 ? s.hospitalA : s.hospitalB;
        var dataset = i % 2 == 0 ? s.claimsA : s.claimsB;
        List<SignedEvent> batch = List.of(s.attested(owner, job, s.enclave), s.keyReleased(owner, job, dataset, s.enclave));
        SignedEvent single = s.submitted(JobId.random(), io.covenant.core.job.Engine.TEE);
        pending.add(pool.submit(() -> ledger.appendAll(batch)));
        pending.add(pool.submit(() -> List.of(ledger.append(single))));
      }
      for (Future<List<LedgerEntry>> f : pending) {
        List<LedgerEntry> got = f.get();
        if (got.size() == 2) batches.add(got);
      }
      size = ledger.size();
    }
    try (EmbeddedLedger reopened = EmbeddedLedger.open(dir, logKey)) {
      assertEquals(size, reopened.size());
      for (List<LedgerEntry> batch : batches) {
        assertEquals(batch.get(0).index() + 1, batch.get(1).index(), "a batch's entries are consecutive");
        assertEquals(batch, reopened.entries(batch.get(0).index(), batch.get(1).index() + 1), "and durable as answered");
      }
    }
  }
}
