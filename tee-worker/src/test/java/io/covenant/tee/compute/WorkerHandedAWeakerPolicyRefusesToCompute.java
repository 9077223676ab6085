package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.DatasetVersion;
import io.covenant.policy.Policy;
import io.covenant.tee.fixture.Consortium;
import io.covenant.tee.fixture.ThreeHospitals;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lying coordinator hands the worker, for one dataset, a weaker policy text (minimum cohort 1, no privacy budget,
 * exact results) than the budgeted one its owner authorised and releases the key under. The owner seals its policy's
 * hash with the key; the worker compares and refuses before loading a row of that dataset, naming both hashes.
 */
class WorkerHandedAWeakerPolicyRefusesToCompute {
  @TempDir Path dir;

  private static Policy budgeted(Policy p) {
    Policy.PrivacyBudget b = new Policy.PrivacyBudget(new BigDecimal("1"), BigDecimal.TEN,
        Map.of("cost", new Policy.Bounds(BigDecimal.ZERO, new BigDecimal("50000"))));
    return new Policy(p.id(), p.dataset(), p.assignees(), p.purposes(), p.engines(), p.tee(), p.validFrom(), p.validUntil(),
        p.minCohort(), p.columns(), p.defaultColumnRule(), p.approval(), p.maxUses(), p.obligations(), p.consent(), Optional.of(b));
  }

  /** The owner's policy with its budget dropped and its cohort lowered to 1: what the lying coordinator hands over. */
  private static Policy weakened(Policy p) {
    return new Policy(p.id(), p.dataset(), p.assignees(), p.purposes(), p.engines(), p.tee(), p.validFrom(), p.validUntil(),
        1, p.columns(), p.defaultColumnRule(), p.approval(), p.maxUses(), p.obligations(), p.consent(), Optional.empty());
  }

  @Test
  void theWorkerRefusesTheWeakerPolicyBeforeLoadingItsRows() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      List<Consortium.Owner> owners = List.copyOf(world.consortium.owners.values());
      Consortium.Owner victim = owners.get(1);
      Policy authorised = world.consortium.publishPolicy(victim, budgeted(victim.policies.values().iterator().next()));
      String sql = "SELECT sex, COUNT(*) AS n, SUM(cost) AS total FROM claims GROUP BY sex ORDER BY sex";
      TeeJob honest = world.authorisedJob(sql);
      Policy weak = weakened(authorised);
      assertFalse(weak.hash(io.covenant.core.crypto.CryptoSuite.INTL).equals(authorised.hash(io.covenant.core.crypto.CryptoSuite.INTL)));

      AtomicLong keysReleasedForVictim = new AtomicLong();
      List<InputDataset> lied = new ArrayList<>();
      DatasetVersion victimInput = null;
      for (InputDataset i : honest.inputs()) {
        if (!i.version().owner().equals(victim.credentials.org())) {
          lied.add(i);
          continue;
        }
        victimInput = i.version();
        lied.add(new InputDataset(i.version(), i.manifestCid(), i.ownerKey(), request -> {
          keysReleasedForVictim.incrementAndGet();
          return i.keyService().release(request);
        }, weak));
      }
      TeeJob attack = new TeeJob(honest.request(), lied, honest.consumerKey(), honest.authorisation());
      // What the weaker text would buy: exact results at cohort 1 where the owner required at least 25 and a budget.
      assertTrue(attack.controls().privacy().isEmpty());
      assertTrue(honest.controls().privacy().isPresent());

      TeeWorker worker = new TeeWorker(world.consortium.provider, world.consortium.blockstore);
      PolicyMismatchException x = assertThrows(PolicyMismatchException.class, () -> worker.run(attack));
      assertEquals(victimInput, x.dataset());
      assertEquals(weak.hash(io.covenant.core.crypto.CryptoSuite.INTL), x.handed());
      assertEquals(authorised.hash(io.covenant.core.crypto.CryptoSuite.INTL), x.released());
      assertEquals(1, keysReleasedForVictim.get(), "the owner released its key under its own policy; the enclave refused to use it");
      assertTrue(x.getMessage().contains(victimInput.toString()) && x.getMessage().contains(weak.hash(io.covenant.core.crypto.CryptoSuite.INTL).hex())
          && x.getMessage().contains(authorised.hash(io.covenant.core.crypto.CryptoSuite.INTL).hex()), x.getMessage());
    }
  }

  @Test
  void theHonestDispatchStillComputesUnderTheOwnersBudget() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      Consortium.Owner owner = List.copyOf(world.consortium.owners.values()).get(1);
      world.consortium.publishPolicy(owner, budgeted(owner.policies.values().iterator().next()));
      TeeJob honest = world.authorisedJob("SELECT sex, COUNT(*) AS n, SUM(cost) AS total FROM claims GROUP BY sex ORDER BY sex");
      SealedResult r = new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(honest);
      ResultTable t = ResultTable.open(r.sealed(), world.consortium.consumerKeys(), honest.request().id());
      assertEquals(List.of("sex", "n", "total"), t.columns());
      assertEquals(new BigDecimal("1"), honest.controls().privacy().orElseThrow().epsilon());
    }
  }
}
