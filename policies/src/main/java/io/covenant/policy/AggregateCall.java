package io.covenant.policy;

import java.util.Optional;

/**
 * One aggregate function call in a query, as a privacy budget needs to see it.
 *
 * @param function upper case, e.g. {@code SUM}
 * @param clause the clause it sits in: SELECT, HAVING or ORDER BY
 * @param column the governed table's column it aggregates, when its argument is that column alone
 * @param simple whether it is {@code F(*)} or {@code F(column)}: no expression, DISTINCT or FILTER around the argument
 * @param text the call as written, shortened, for explanations
 */
record AggregateCall(String function, String clause, Optional<String> column, boolean simple, String text) {}
