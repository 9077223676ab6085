package io.covenant.coordinator.demo;

import io.covenant.core.codec.Json;
import io.covenant.core.text.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TEE route's table beside the multi-party route's, group by group: which groups each released, and how far
 * their statistics are apart. Both are noised independently under the owners' privacy budget, so they differ by the
 * noise (the multi-party noise is the sum of the three parties' own samples), never by the computation.
 */
final class MpcComparison {
  private MpcComparison() {}

  /** {@code tee} and {@code mpc} are the node desk's result answers ({@code columns}, {@code data}). */
  static String render(Json.JObject tee, Json.JObject mpc) {
    List<String> columns = tee.strings("columns");
    if (!columns.equals(mpc.strings("columns"))) return "the two routes returned different columns: " + columns + " vs " + mpc.strings("columns") + "\n";
    Map<List<String>, List<String>> teeRows = rows(tee, columns.size());
    Map<List<String>, List<String>> mpcRows = rows(mpc, columns.size());
    TextTable t = TextTable.withHeaders("column", "groups in both", "only TEE", "only MPC", "median |TEE - MPC| / TEE", "largest");
    int keys = keyColumns(tee, columns.size());
    long both = teeRows.keySet().stream().filter(mpcRows::containsKey).count();
    for (int c = keys; c < columns.size(); c++) {
      List<Double> differences = new ArrayList<>();
      for (var e : teeRows.entrySet()) {
        List<String> other = mpcRows.get(e.getKey());
        if (other == null || e.getValue().get(c) == null || other.get(c) == null) continue;
        double a = Double.parseDouble(e.getValue().get(c));
        double b = Double.parseDouble(other.get(c));
        if (a != 0) differences.add(Math.abs(a - b) / Math.abs(a));
      }
      differences.sort(Double::compare);
      String median = differences.isEmpty() ? "-" : String.format("%.2f %%", 100 * differences.get(differences.size() / 2));
      String largest = differences.isEmpty() ? "-" : String.format("%.2f %%", 100 * differences.getLast());
      t.row(columns.get(c), both, teeRows.size() - both, mpcRows.size() - both, median, largest);
    }
    return t.render() + "(both routes noise every statistic under the same epsilon; the tables differ by that noise, not by the computation)\n";
  }

  private static Map<List<String>, List<String>> rows(Json.JObject answer, int width) {
    int keys = keyColumns(answer, width);
    Map<List<String>, List<String>> out = new LinkedHashMap<>();
    for (Json r : answer.array("data")) {
      List<String> cells = new ArrayList<>();
      for (Json cell : ((Json.JArray) r).items()) cells.add(cell instanceof Json.JString s ? s.value() : null);
      out.put(cells.subList(0, keys), cells);
    }
    return out;
  }

  /** The leading columns that are not numbers in the first row: the group keys. */
  private static int keyColumns(Json.JObject answer, int width) {
    List<Json> data = answer.array("data");
    if (data.isEmpty()) return 0;
    List<Json> first = ((Json.JArray) data.getFirst()).items();
    int k = 0;
    while (k < width && !(first.get(k) instanceof Json.JString s && isNumber(s.value()))) k++;
    return k;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
