package io.covenant.core.text;

import java.util.ArrayList;
import java.util.List;

/**
 * An aligned plain-text table for terminals: the one way Covenant prints rows to a person. Numbers are right-aligned,
 * text left-aligned; cells longer than {@code maxCellWidth} are cut with an ellipsis so a table never wraps.
 */
public final class TextTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private int maxCellWidth = 60;

  private TextTable(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  public static TextTable withHeaders(String... headers) {
    return new TextTable(List.of(headers));
  }

  public static TextTable withHeaders(List<String> headers) {
    return new TextTable(headers);
  }

  public TextTable maxCellWidth(int width) {
    this.maxCellWidth = Math.max(4, width);
    return this;
  }

  public TextTable row(Object... cells) {
    return row(List.of(cells));
  }

  public TextTable row(List<?> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.size() + " cells; the table has " + headers.size() + " columns");
    }
    List<String> r = new ArrayList<>(cells.size());
    for (Object c : cells) r.add(cell(c));
    rows.add(r);
    return this;
  }

  public int size() {
    return rows.size();
  }

  private String cell(Object c) {
    String s = switch (c) {
      case null -> "";
      case Double d -> String.format(java.util.Locale.ROOT, "%.2f", d);
      case Float f -> String.format(java.util.Locale.ROOT, "%.2f", f);
      default -> String.valueOf(c);
    };
    return s.length() > maxCellWidth ? s.substring(0, maxCellWidth - 1) + "…" : s;
  }

  private static boolean numeric(String s) {
    return !s.isEmpty() && s.matches("-?[0-9][0-9,]*(\\.[0-9]+)?");
  }

  public String render() {
    int n = headers.size();
    int[] w = new int[n];
    boolean[] right = new boolean[n];
    for (int i = 0; i < n; i++) {
      w[i] = headers.get(i).length();
      right[i] = !rows.isEmpty();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
        if (!r.get(i).isEmpty() && !numeric(r.get(i))) right[i] = false;
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers, w, right);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append("  ");
      sb.append("-".repeat(w[i]));
    }
    sb.append('\n');
    for (List<String> r : rows) line(sb, r, w, right);
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w, boolean[] right) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) l.append("  ");
      String c = cells.get(i);
      String pad = " ".repeat(w[i] - c.length());
      l.append(right[i] ? pad + c : c + pad);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  @Override
  public String toString() {
    return render();
  }
}
