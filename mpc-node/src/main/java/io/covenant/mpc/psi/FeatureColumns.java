package io.covenant.mpc.psi;

import io.covenant.core.error.MalformedInputException;
import java.util.HashSet;
import java.util.List;

/**
 * A party's numeric feature columns for the payload mode, row-aligned with its id column: {@code values[c][row]} is
 * column {@code names.get(c)} at that row.
 */
public record FeatureColumns(List<String> names, double[][] values) {
  public FeatureColumns {
    names = List.copyOf(names);
    if (names.size() != values.length) {
      throw new MalformedInputException(names.size() + " feature column names for " + values.length + " columns of values: give one name per column");
    }
    if (new HashSet<>(names).size() != names.size()) throw new MalformedInputException("feature column names must differ; got " + names);
    for (String n : names) {
      if (n.isBlank() || n.length() > 256) throw new MalformedInputException("a feature column name has 1 to 256 characters, not blank");
    }
    double[][] copy = new double[values.length][];
    for (int c = 0; c < values.length; c++) copy[c] = values[c].clone();
    values = copy;
  }

  /** No features: the party contributes only its ids (e.g. the side that holds only labels' ids). */
  public static FeatureColumns none() {
    return new FeatureColumns(List.of(), new double[0][]);
  }

  @Override
  public double[][] values() {
    double[][] copy = new double[values.length][];
    for (int c = 0; c < values.length; c++) copy[c] = values[c].clone();
    return copy;
  }

  double[] column(int c) {
    return values[c];
  }
}
