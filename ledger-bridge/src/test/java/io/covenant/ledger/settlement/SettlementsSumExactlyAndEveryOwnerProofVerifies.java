package io.covenant.ledger.settlement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent.LicencePublished;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.InclusionProof;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Settlements sum exactly: for awkward prices and shares, the maker's part and the owners' amounts add up to the
 * licence's price to the cent; no owner is off its exact pro-rata quota by a whole unit (largest remainder); every
 * owner's inclusion proof verifies against the root, and a changed line (or another owner's proof) does not.
 */
class SettlementsSumExactlyAndEveryOwnerProofVerifies {

  @ParameterizedTest
  @CsvSource({"1, 0, 1, 0", "7, 20000, 50, 3000", "1000, 99999, 37, 3333", "3000, 20000, 50, 3000", "333, 1, 1, 9999", "50, 0, 7, 10000"})
  void sumsExactlyAndProves(int owners, long perJob, long perVehicleMonth, long makerBp) {
    LicencePublished licence = new LicencePublished(DatasetId.parse("maker/telemetry"), "l", Digest.sha256(new byte[] {1}), Digest.sha256(new byte[] {2}),
        OrgId.of("insurer"), "EUR", perJob, perVehicleMonth, makerBp);
    SplittableRandom r = new SplittableRandom(owners * 31L + makerBp);
    TreeMap<String, Long> used = new TreeMap<>();
    while (used.size() < owners) used.put(Digest.sha256(Long.toString(r.nextLong()).getBytes()).hex(), 1L + r.nextInt(200));
    SettlementSheet sheet = SettlementRule.settle(licence, 1, used);

    long amount = perJob + perVehicleMonth * owners;
    assertEquals(amount, sheet.amount());
    assertEquals(amount * makerBp / 10_000, sheet.makerAmount());
    assertEquals(amount, sheet.makerAmount() + sheet.shares().stream().mapToLong(OwnerShare::amount).sum(), "the parts must sum exactly to the amount");

    long total = used.values().stream().mapToLong(Long::longValue).sum();
    long ownersPart = amount - sheet.makerAmount();
    for (OwnerShare s : sheet.shares()) {
      // exact quota = ownersPart * records / total; the amount is its floor or its floor + 1
      BigInteger floor = BigInteger.valueOf(ownersPart).multiply(BigInteger.valueOf(s.records())).divide(BigInteger.valueOf(total));
      long diff = s.amount() - floor.longValueExact();
      assertTrue(diff == 0 || diff == 1, "owner " + s.owner() + " got " + s.amount() + ", its quota's floor is " + floor);
    }

    List<OwnerShare> shares = sheet.shares();
    for (OwnerShare s : shares) {
      InclusionProof p = sheet.proof(s.owner()).orElseThrow();
      assertTrue(p.verify(s.leafHash(), sheet.root()), "the proof of " + s.owner() + " does not verify");
      assertFalse(p.verify(new OwnerShare(s.owner(), s.records(), s.amount() + 1).leafHash(), sheet.root()), "a raised amount must not verify");
    }
    if (shares.size() > 1) {
      InclusionProof first = sheet.proof(shares.get(0).owner()).orElseThrow();
      assertFalse(first.verify(shares.get(1).leafHash(), sheet.root()), "another owner's line must not verify with this owner's proof");
    }
    assertTrue(sheet.problemAgainst(sheet.settlement()).isEmpty());

    // A sheet with one line changed no longer matches what the ledger committed to.
    if (shares.size() > 1) {
      List<OwnerShare> changed = new ArrayList<>(shares);
      OwnerShare a = changed.get(0), b = changed.get(1);
      changed.set(0, new OwnerShare(a.owner(), a.records(), a.amount() + 1));
      changed.set(1, new OwnerShare(b.owner(), b.records(), Math.max(0, b.amount() - 1)));
      SettlementSheet forged = new SettlementSheet(sheet.settlement().licence(), sheet.amount(), sheet.makerAmount(), owners, changed);
      if (b.amount() > 0) assertTrue(forged.problemAgainst(sheet.settlement()).orElseThrow().contains("a line was changed after settling"));
    }
  }
}
