package io.covenant.mpc.sql;

import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.policy.Policy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One owner's partial aggregates of a {@link SecureAggregateQuery}, computed by the owner's node on its own decrypted
 * rows and never sent anywhere in the clear: per group of the public domain, the row count, each COUNT(col) and each
 * clamped, integer-scaled SUM(col), measurement-major (k·G longs). Rows of data subjects who withdrew consent are left
 * out first, as the enclave does. Not thread-safe.
 */
public final class OwnerPartials {
  private final SecureAggregateQuery query;
  private final Optional<Policy.Consent> consent;
  private final SubjectKey subjects;
  private final long[] totals;
  private long rows;

  /** {@code subjects} is used only when {@code consent} is present (it matches withdrawn subjects' digests to rows). */
  public OwnerPartials(SecureAggregateQuery query, Optional<Policy.Consent> consent, SubjectKey subjects) {
    this.query = query;
    this.consent = consent;
    this.subjects = subjects;
    this.totals = new long[query.measurements().size() * query.groups()];
  }

  /** Adds one decrypted batch of the owner's dataset. */
  public void add(VectorSchemaRoot batch, String source) {
    List<SecureAggregateQuery.Key> keys = query.keys();
    FieldVector[] keyColumns = new FieldVector[keys.size()];
    for (int k = 0; k < keys.size(); k++) keyColumns[k] = column(batch, keys.get(k).column(), source);
    List<SecureAggregateQuery.Measurement> ms = query.measurements();
    FieldVector[] measured = new FieldVector[ms.size()];
    for (int m = 0; m < ms.size(); m++) {
      if (ms.get(m).column().isPresent()) measured[m] = column(batch, ms.get(m).column().get(), source);
    }
    FieldVector subject = null;
    Set<String> excluded = Set.of();
    if (consent.isPresent()) {
      subject = column(batch, consent.get().subjectColumn(), source);
      excluded = Set.copyOf(consent.get().excludedSubjects());
    }
    int g = query.groups();
    int[] keyIndexes = new int[keys.size()];
    for (int i = 0; i < batch.getRowCount(); i++) {
      if (subject != null && !subject.isNull(i) && excluded.contains(subjects.digest(text(subject, i)))) continue;
      rows++;
      for (int k = 0; k < keys.size(); k++) {
        FieldVector v = keyColumns[k];
        keyIndexes[k] = keys.get(k).function().indexOf(keys.get(k).function().apply(v.isNull(i) ? null : value(v, i)));
      }
      int group = query.groupOf(keyIndexes);
      for (int m = 0; m < ms.size(); m++) {
        SecureAggregateQuery.Measurement x = ms.get(m);
        FieldVector v = measured[m];
        int at = m * g + group;
        if (v == null) {
          totals[at]++;
        } else if (!v.isNull(i)) {
          totals[at] = x.sum() ? Math.addExact(totals[at], scaled(x, number(v, i, source))) : totals[at] + 1;
        }
      }
    }
  }

  /** Rows read so far (after consent exclusions). */
  public long rows() {
    return rows;
  }

  /** The partial aggregates, measurement-major; a copy. */
  public long[] totals() {
    return totals.clone();
  }

  private static long scaled(SecureAggregateQuery.Measurement m, double value) {
    double v = value;
    if (m.bounds().isPresent()) {
      v = Math.min(Math.max(v, m.bounds().get().lower().doubleValue()), m.bounds().get().upper().doubleValue());
    }
    BigDecimal g = m.granularity();
    double s = g.scale() > 0 ? v * BigDecimal.ONE.scaleByPowerOfTen(g.scale()).doubleValue() : v / g.doubleValue();
    if (Math.abs(s) >= 0x1p62) throw new MalformedInputException("a value of " + m.column().orElse("?") + " is too large to sum exactly in the ring");
    return Math.round(s);
  }

  private static FieldVector column(VectorSchemaRoot batch, String name, String source) {
    FieldVector v = batch.getVector(name);
    if (v == null) throw new MpcQueryRefusedException("the query uses column '" + name + "', which " + source + " does not have");
    return v;
  }

  private static Object value(FieldVector v, int i) {
    return switch (v) {
      case VarCharVector s -> new String(s.get(i), StandardCharsets.UTF_8);
      case BigIntVector b -> b.get(i);
      case Float8Vector f -> f.get(i);
      default -> v.getObject(i);
    };
  }

  private static double number(FieldVector v, int i, String source) {
    return switch (v) {
      case BigIntVector b -> b.get(i);
      case Float8Vector f -> f.get(i);
      default -> throw new MpcQueryRefusedException("column '" + v.getName() + "' of " + source + " is not numeric, so it cannot be summed or averaged");
    };
  }

  private static String text(FieldVector v, int i) {
    return switch (v) {
      case VarCharVector s -> new String(s.get(i), StandardCharsets.UTF_8);
      case BigIntVector b -> Long.toString(b.get(i));
      default -> String.valueOf(v.getObject(i));
    };
  }
}
