package io.covenant.coordinator;

import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import io.covenant.core.id.DatasetVersion;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.UsageHistory;
import java.math.BigDecimal;
import java.util.List;

/**
 * Everything a consumer (or anyone reading the ledger) can observe of one job apart from the sealed result itself: how
 * it ended, the last event the ledger recorded for it, what it cost (uses and epsilon debited over the job's policies)
 * and the reasons given. A membership probe succeeds if this differs between "the person exists" and "they do not".
 */
record ObservedOutcome(JobState state, EventType lastEvent, long usesDebited, BigDecimal epsilonDebited, List<String> reasons) {

  static ObservedOutcome of(SmallFederation f, String sql) {
    UsageHistory before = usage(f);
    JobOutcome o = f.submit(sql);
    UsageHistory after = usage(f);
    List<LedgerEntry> trail = f.deployment.ledger().entriesForJob(o.job());
    EventType last = trail.getLast().event().event().type();
    return new ObservedOutcome(o.state(), last, after.uses() - before.uses(),
        after.epsilonSpent().subtract(before.epsilonSpent()).stripTrailingZeros(), o.reasons());
  }

  /** Uses and epsilon spent by the insurer, summed over the current policies of the federation's datasets. */
  private static UsageHistory usage(SmallFederation f) {
    long uses = 0;
    BigDecimal epsilon = BigDecimal.ZERO;
    for (DatasetVersion v : f.versions) {
      var policy = f.deployment.store().currentPolicy(v.dataset()).orElseThrow();
      UsageHistory h = f.deployment.store().usage(policy.hash(), io.covenant.coordinator.demo.HospitalInsurerDemo.INSURER);
      uses += h.uses();
      epsilon = epsilon.add(h.epsilonSpent());
    }
    return new UsageHistory(uses, epsilon);
  }
}
