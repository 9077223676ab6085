package io.covenant.policy;

/** Where in a query a column is used. */
enum Place {
  /** In the SELECT list, outside any aggregate function: its values (or a scalar function of them) are output. */
  SELECT,
  /** Inside COUNT/SUM/AVG/... anywhere in the query (SELECT, HAVING, ORDER BY). */
  AGGREGATE,
  /** In a GROUP BY expression. */
  GROUP_BY,
  /** In WHERE. */
  WHERE,
  /** One side of an equality between two tables in JOIN ... ON, or a USING column. */
  JOIN_KEY,
  /** In a JOIN ... ON condition that is not a key equality: it chooses rows, like WHERE. */
  JOIN_CONDITION,
  /** In a condition inside an aggregate (CASE WHEN ..., FILTER (WHERE ...), a comparison): it chooses rows. */
  CONDITION_IN_AGGREGATE,
  /** In HAVING, outside any aggregate function. */
  HAVING,
  /** In ORDER BY, outside any aggregate function. */
  ORDER_BY
}
