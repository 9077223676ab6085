package io.covenant.policy;

import java.util.List;

/**
 * What a SQL query does with the governed table's columns.
 *
 * @param uses every use of a column of the governed table, in the order the query names them
 * @param aggregated whether the query outputs groups (GROUP BY or an aggregate function) rather than rows
 * @param problems reasons the query cannot be judged or is refused outright (failed findings)
 * @param aggregates every aggregate function call, in the order the query names them
 * @param joined whether the query joins another table (or the governed table to itself)
 */
record QueryAnalysis(List<ColumnUse> uses, boolean aggregated, List<PolicyDecision.Finding> problems, List<AggregateCall> aggregates,
    boolean joined) {
  QueryAnalysis {
    uses = List.copyOf(uses);
    problems = List.copyOf(problems);
    aggregates = List.copyOf(aggregates);
  }
}
