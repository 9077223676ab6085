package io.covenant.policy;

/**
 * One use of a column of the governed table.
 *
 * @param column the column name, lower case
 * @param place where the query uses it
 * @param aggregate for {@link Place#AGGREGATE} and {@link Place#CONDITION_IN_AGGREGATE}, the aggregate function
 *     (upper case); otherwise empty
 * @param clause the clause the use sits in (SELECT, HAVING, ORDER BY, ...), for explanations
 */
record ColumnUse(String column, Place place, String aggregate, String clause) {

  /** The use in words, completing "the query ...". */
  String describe() {
    return switch (place) {
      case SELECT -> "selects it";
      case AGGREGATE -> "aggregates it with " + aggregate + " in " + clause;
      case GROUP_BY -> "groups by it";
      case WHERE -> "filters on it in WHERE";
      case JOIN_KEY -> "joins on it";
      case JOIN_CONDITION -> "filters on it in a JOIN condition";
      case CONDITION_IN_AGGREGATE -> "chooses rows by it inside " + aggregate + " in " + clause;
      case HAVING -> "filters groups on it in HAVING";
      case ORDER_BY -> "orders by it";
    };
  }
}
