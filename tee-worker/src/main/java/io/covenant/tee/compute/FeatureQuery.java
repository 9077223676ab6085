package io.covenant.tee.compute;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The SELECT whose rows a model trains on, checked before any key is released: one SELECT statement (joins,
 * filters, CASE and date functions allowed) reading only the job's tables. Its rows stay in the enclave; the checks
 * here keep it from being anything but a read of the loaded data. The enclave database's sandbox (no files, network
 * or extensions, configuration locked) applies to it as to every query.
 */
record FeatureQuery(String sql) {
  static FeatureQuery check(String text, Set<String> jobTables) {
    Statement parsed;
    try {
      parsed = CCJSqlParserUtil.parse(text);
    } catch (JSQLParserException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new QueryRefusedException("the training's feature query is not one SQL SELECT: " + m);
    }
    if (!(parsed instanceof Select)) {
      throw new QueryRefusedException("the training's feature query must be a SELECT; it is a " + parsed.getClass().getSimpleName());
    }
    Set<String> lower = jobTables.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
    for (String table : new TablesNamesFinder<Void>().getTables(parsed)) {
      String bare = table.replace("\"", "").toLowerCase(Locale.ROOT);
      if (!lower.contains(bare)) {
        throw new QueryRefusedException("the training's feature query reads '" + table + "', which is not one of the job's tables " + jobTables);
      }
    }
    return new FeatureQuery(text);
  }
}
