package io.covenant.node.hejob;

import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.job.Computation;
import io.covenant.policy.Policy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One owner's aggregate vector for encrypted aggregation, counted at its own node: per group value listed by the job,
 * the number of rows and (when a column is summed) the sum of that column over them. Rows of data subjects who withdrew
 * consent are left out; rows whose group is not listed, or whose summed value is missing or not finite, are not counted.
 */
final class GroupTotals {
  private final Computation.HeAggregate aggregate;
  private final Optional<Policy.Consent> consent;
  private final String source;
  private final Map<String, Integer> slot = new HashMap<>();
  private final long[] counts;
  private final double[] sums;
  private SubjectKey subjects;

  GroupTotals(Computation.HeAggregate aggregate, Optional<Policy.Consent> consent, String source) {
    this.aggregate = aggregate;
    this.consent = consent;
    this.source = source;
    for (int i = 0; i < aggregate.groups().size(); i++) slot.put(aggregate.groups().get(i), i);
    this.counts = new long[aggregate.groups().size()];
    this.sums = new double[aggregate.groups().size()];
  }

  void subjects(SubjectKey subjects) {
    this.subjects = subjects;
  }

  void add(VectorSchemaRoot batch) {
    FieldVector group = FeatureRows.column(batch, aggregate.groupBy(), source);
    FieldVector summed = aggregate.sum().map(c -> FeatureRows.numeric(batch, c, source)).orElse(null);
    FieldVector subject = consent.map(c -> FeatureRows.column(batch, c.subjectColumn(), source)).orElse(null);
    Set<String> excluded = consent.map(c -> Set.copyOf(c.excludedSubjects())).orElse(Set.of());
    for (int i = 0; i < batch.getRowCount(); i++) {
      if (subject != null && !subject.isNull(i) && excluded.contains(subjects.digest(FeatureRows.text(subject, i)))) continue;
      if (group.isNull(i)) continue;
      Integer g = slot.get(FeatureRows.text(group, i));
      if (g == null) continue;
      double v = 0;
      if (summed != null) {
        if (summed.isNull(i)) continue;
        v = FeatureRows.value(summed, i);
        if (!Double.isFinite(v)) continue;
      }
      counts[g]++;
      sums[g] += v;
    }
  }

  /** [counts..., sums...], with every group of fewer than {@code minCohort} of this owner's rows set to zero. */
  double[] vector(int minCohort) {
    int g = counts.length;
    double[] out = new double[aggregate.length()];
    for (int i = 0; i < g; i++) {
      if (counts[i] < minCohort) continue;
      out[i] = counts[i];
      if (aggregate.sum().isPresent()) out[g + i] = sums[i];
    }
    return out;
  }
}
