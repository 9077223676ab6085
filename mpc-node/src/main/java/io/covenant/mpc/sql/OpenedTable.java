package io.covenant.mpc.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A multi-party result as the consumer reconstructs it: column labels and rows of plain Java values. */
public record OpenedTable(List<String> columns, List<List<Object>> rows) {
  public OpenedTable {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>();
    for (List<Object> r : rows) copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
    rows = Collections.unmodifiableList(copy);
  }
}
