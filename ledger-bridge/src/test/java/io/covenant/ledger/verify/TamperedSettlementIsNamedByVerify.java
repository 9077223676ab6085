package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.LicencePublished;
import io.covenant.core.event.AuditEvent.Settlement;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.settlement.SettlementRule;
import io.covenant.ledger.settlement.SettlementSheet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A licensed settlement (USAGE_SETTLED version 2) that does not follow its licence is named by {@code verify}: an
 * operator who signs a settlement whose amounts were changed (the price, the maker's share, a sum that does not add up),
 * settles a job twice, or settles under a licence that was never published or licenses someone else, is caught at that
 * entry, and an edited copy of an honest settlement fails its signature.
 */
class TamperedSettlementIsNamedByVerify {
  private final Scenario s = new Scenario();
  private final JobId job = new JobId("job-00000000000000bb");
  private final SigningKey logKey = SigningKey.generate();

  private LicencePublished licence(OrgId consumer, Digest policy) {
    return new LicencePublished(s.claimsA.dataset(), "ubi", Digest.sha256(("licence " + consumer + policy).getBytes(StandardCharsets.UTF_8)), policy, consumer,
        "EUR", 20_000, 50, 3_000);
  }

  private SettlementSheet sheet(LicencePublished l) {
    TreeMap<String, Long> used = new TreeMap<>();
    for (int i = 0; i < 7; i++) used.put(Digest.sha256(new byte[] {(byte) i}).hex(), 10L + 3 * i);
    return SettlementRule.settle(l, 1, used);
  }

  private List<SignedEvent> history(LicencePublished published, Settlement settled, boolean twice) {
    List<SignedEvent> all = new ArrayList<>(s.setup());
    all.add(s.sign(s.hospitalA, published));
    all.addAll(s.teeJob(job));
    SignedEvent e = s.sign(s.operator, new AuditEvent.UsageSettled(job, s.claimsA.dataset(), s.hospitalA.org(), settled.records(), Optional.of(settled)));
    all.add(e);
    if (twice) all.add(s.sign(s.operator, new AuditEvent.UsageSettled(job, s.claimsA.dataset(), s.hospitalA.org(), settled.records(), Optional.of(settled))));
    return all;
  }

  private VerificationReport verify(List<SignedEvent> events) {
    return LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey));
  }

  private void named(String fragment, UnaryOperator<Settlement> tamper) {
    LicencePublished l = licence(s.insurer.org(), s.policyA);
    Settlement honest = sheet(l).settlement();
    assertTrue(verify(history(l, honest, false)).ok(), "the honest settlement must verify");
    List<SignedEvent> events = history(l, tamper.apply(honest), false);
    VerificationReport r = verify(events);
    assertTrue(r.failure().isPresent(), "a tampered settlement verified: " + fragment);
    assertEquals(events.size() - 1, r.failure().get().index());
    assertEquals("USAGE_SETTLED", r.failure().get().eventType());
    assertTrue(r.failure().get().reason().contains(fragment), r.failure().get().reason());
  }

  private static Settlement with(Settlement x, long amount, long maker, long owners) {
    return new Settlement(x.licence(), amount, maker, owners, x.owners(), x.records(), x.vehicleMonths(), x.ownersRoot());
  }

  @Test
  void anAmountOffTheLicencePriceIsNamed() {
    named("but licence ubi prices", x -> with(x, x.amount() + 100, x.makerAmount() + 30, x.ownersAmount() + 70));
  }

  @Test
  void aMakerShareOffTheLicenceIsNamed() {
    named("gives the maker", x -> with(x, x.amount(), x.makerAmount() + 1, x.ownersAmount() - 1));
  }

  @Test
  void partsThatDoNotSumToTheAmountAreNamed() {
    named("do not sum to the amount", x -> with(x, x.amount(), x.makerAmount(), x.ownersAmount() + 1));
  }

  @Test
  void vehicleMonthsThatAreNotWholeMonthsPerOwnerAreNamed() {
    named("each owner contributes the same whole number of months",
        x -> new Settlement(x.licence(), x.amount() + 50, x.makerAmount(), x.ownersAmount(), x.owners(), x.records(), x.vehicleMonths() + 1, x.ownersRoot()));
  }

  @Test
  void aJobSettledTwiceIsNamed() {
    LicencePublished l = licence(s.insurer.org(), s.policyA);
    List<SignedEvent> events = history(l, sheet(l).settlement(), true);
    VerificationReport r = verify(events);
    assertEquals(events.size() - 1, r.failure().orElseThrow().index());
    assertTrue(r.failure().get().reason().contains("was already settled at entry"), r.failure().get().reason());
  }

  @Test
  void aLicenceForAnotherConsumerIsNamed() {
    LicencePublished l = licence(OrgId.of("other-insurer"), s.policyA);
    List<SignedEvent> events = history(l, sheet(l).settlement(), false);
    VerificationReport r = verify(events);
    assertEquals(events.size() - 1, r.failure().orElseThrow().index());
    assertTrue(r.failure().get().reason().contains("which licenses other-insurer"), r.failure().get().reason());
  }

  @Test
  void aLicenceNeverPublishedIsNamed() {
    LicencePublished l = licence(s.insurer.org(), s.policyA);
    LicencePublished other = licence(s.insurer.org(), s.policyB);
    List<SignedEvent> events = history(l, sheet(other).settlement(), false);
    VerificationReport r = verify(events);
    assertTrue(r.failure().orElseThrow().reason().contains("which was never published"), r.failure().get().reason());
  }

  @Test
  void anEditedCopyOfAnHonestSettlementFailsItsSignature() {
    LicencePublished l = licence(s.insurer.org(), s.policyA);
    Settlement honest = sheet(l).settlement();
    List<LedgerEntry> entries = new ArrayList<>(Scenario.chain(history(l, honest, false)));
    LedgerEntry last = entries.remove(entries.size() - 1);
    String edited = last.event().toJson().encode().replace("\"makerAmount\":" + honest.makerAmount(), "\"makerAmount\":" + (honest.makerAmount() - 500));
    entries.add(new LedgerEntry(last.index(), SignedEvent.fromJson(Json.parseObject(edited)), last.previous()));
    VerificationReport r = LedgerVerifier.verify(Scenario.export(entries, logKey));
    assertEquals(last.index(), r.failure().orElseThrow().index());
    assertTrue(r.failure().get().reason().contains("does not verify"), r.failure().get().reason());
  }
}
