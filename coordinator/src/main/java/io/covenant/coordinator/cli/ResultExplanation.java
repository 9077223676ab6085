package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.job.Computation;
import io.covenant.core.text.Plural;
import io.covenant.policy.Policy;
import io.covenant.policy.OutputControls;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the enclave did to a committed result before it left, in words for its consumer: how many groups were left
 * out under the minimum cohort, and whether values carry differential-privacy noise. Built from public facts only:
 * RESULT_COMMITTED's row and suppression counts, and the policies JOB_AUTHORIZED bound (through the same
 * {@link OutputControls#forPolicies} the worker applied), so it says nothing the ledger does not.
 */
final class ResultExplanation {
  private static final Pattern GROUP_BY =
      Pattern.compile("(?is)\\bGROUP\\s+BY\\s+(.+?)(?:\\bHAVING\\b|\\bORDER\\s+BY\\b|\\bLIMIT\\b|;|$)");

  private ResultExplanation() {}

  /** Lines to print under the result table; empty if the job committed no result. */
  static List<String> lines(LocalDeployment d, JobId job) {
    List<String> out = new ArrayList<>();
    AuditEvent.ResultCommitted committed = null;
    AuditEvent.JobAuthorized authorized = null;
    for (var e : d.ledger().entriesForJob(job)) {
      switch (e.event().event()) {
        case AuditEvent.ResultCommitted r -> committed = r;
        case AuditEvent.JobAuthorized a -> authorized = a;
        default -> {}
      }
    }
    if (committed == null) return out;
    List<Policy> policies = new ArrayList<>();
    if (authorized != null) {
      for (var b : authorized.policies()) d.store().policy(b.policyHash()).ifPresent(r -> policies.add(Policy.parse(r.json())));
    }
    OutputControls controls = policies.isEmpty() ? null : OutputControls.forPolicies(policies);
    long released = committed.outputRows();
    long left = committed.suppressedGroups();
    long total = released + left;
    String cohort = controls == null ? "the minimum cohort" : "the minimum cohort of " + controls.minCohort();
    if (left == 0) {
      out.add("all " + Plural.of(total, "group") + " reached " + cohort + "; none was left out");
    } else {
      boolean noisy = controls != null && controls.privacy().isPresent();
      out.add(left + " of " + Plural.of(total, "group") + " " + (left == 1 ? "was" : "were") + " under " + cohort
          + " (the largest among the datasets' policies" + (noisy ? "; the noisy count decides" : "") + ") and "
          + (left == 1 ? "was" : "were") + " left out inside the enclave");
    }
    if (released == 0 && left > 0) {
      String groups = d.store().job(job).map(r -> r.request().computation())
          .filter(Computation.SqlQuery.class::isInstance).map(c -> groupBy(((Computation.SqlQuery) c).sql())).orElse("");
      out.add("nothing was released: every group was too small. Group by fewer or coarser columns"
          + (groups.isEmpty() ? "" : " than " + groups) + " (e.g. age_band(age) rather than age, icd10_chapter(diagnosis) "
          + "rather than diagnosis), or widen the WHERE filter, so that each group holds at least "
          + (controls == null ? "the minimum cohort" : controls.minCohort() + " records"));
    }
    if (controls != null && controls.privacy().isPresent()) {
      var p = controls.privacy().get();
      StringBuilder s = new StringBuilder("values are noised for differential privacy with epsilon "
          + p.epsilon().stripTrailingZeros().toPlainString() + " for this query (the smallest epsilonPerQuery among the policies), "
          + "split over the statistics it released");
      if (!p.bounds().isEmpty()) {
        List<String> b = new ArrayList<>();
        p.bounds().forEach((c, r) -> b.add(c + " [" + r.lower().toPlainString() + ", " + r.upper().toPlainString() + "]"));
        s.append("; sums and averages use values clamped to ").append(String.join(", ", b));
      }
      out.add(s.append(". Read them as estimates").toString());
    } else if (controls != null) {
      out.add("values are exact: no policy of the job sets a privacy budget");
    }
    return out;
  }

  private static String groupBy(String sql) {
    Matcher m = GROUP_BY.matcher(sql);
    return m.find() ? m.group(1).strip().replaceAll("\\s+", " ") : "";
  }
}
