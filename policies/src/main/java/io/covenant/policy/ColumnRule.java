package io.covenant.policy;

import io.covenant.core.error.MalformedInputException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a query may use a column. The rules follow the column categories of AWS Clean Rooms aggregation analysis
 * rules (dimension, aggregate, join columns; docs.aws.amazon.com/clean-rooms/latest/userguide/analysis-rules-aggregation.html)
 * and SecretFlow SCQL's column control list (secretflow.readthedocs.io/projects/scql, "CCL": PLAINTEXT,
 * PLAINTEXT_AFTER_GROUP_BY, PLAINTEXT_AFTER_AGGREGATE, PLAINTEXT_AFTER_JOIN, PLAINTEXT_AFTER_COMPARE, ENCRYPTED_ONLY).
 */
public enum ColumnRule {
  /** Anywhere, including row-level output. */
  PLAIN(EnumSet.allOf(Place.class)),
  /** A group key: selected as a group key, grouped by, filtered on (also in HAVING and ORDER BY). */
  DIMENSION(EnumSet.of(Place.SELECT, Place.GROUP_BY, Place.WHERE, Place.JOIN_CONDITION, Place.CONDITION_IN_AGGREGATE,
      Place.HAVING, Place.ORDER_BY)),
  /** Only inside COUNT/SUM/AVG/MIN/MAX/STDDEV/VARIANCE/MEDIAN. */
  AGGREGATE(EnumSet.of(Place.AGGREGATE)),
  /** Only as a key in a JOIN ... ON equality (or USING). */
  JOIN(EnumSet.of(Place.JOIN_KEY)),
  /** Only to choose rows: WHERE, a JOIN condition that is not a key equality, a condition inside an aggregate. */
  FILTER(EnumSet.of(Place.WHERE, Place.JOIN_CONDITION, Place.CONDITION_IN_AGGREGATE)),
  /** Not at all. */
  NEVER(EnumSet.noneOf(Place.class));

  private final Set<Place> allowed;

  ColumnRule(Set<Place> allowed) {
    this.allowed = allowed;
  }

  boolean permits(Place place) {
    return allowed.contains(place);
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ColumnRule parse(String text) {
    for (ColumnRule r : values()) {
      if (r.wireName().equals(text)) return r;
    }
    throw new MalformedInputException(
        "column rule '" + text + "' is not known: use plain, dimension, aggregate, join, filter or never");
  }
}
