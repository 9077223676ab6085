package io.covenant.mpc.fl.data;

import io.covenant.core.error.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * One party's training rows: a dense feature matrix (one row per patient) and a 0/1 label per row. Held only by the
 * party that owns it; the federated engine never sends it anywhere.
 */
public record LabelledData(DMatrixRMaj features, double[] labels) {
  public LabelledData {
    if (features == null || labels == null) throw new MalformedInputException("labelled data needs both a feature matrix and labels");
    if (features.numRows != labels.length) {
      throw new MalformedInputException("the feature matrix has " + features.numRows + " rows but there are " + labels.length
          + " labels: give one label per row");
    }
    if (labels.length == 0) throw new MalformedInputException("labelled data must have at least one row");
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0.0 && labels[i] != 1.0) {
        throw new MalformedInputException("label " + i + " is " + labels[i] + ": labels of a binary outcome are 0 or 1");
      }
    }
  }

  public int rows() {
    return labels.length;
  }

  public int featureCount() {
    return features.numCols;
  }

  /** The rows of several parties stacked, in order: what pooled (non-federated) training would see. */
  public static LabelledData pooled(List<LabelledData> parts) {
    if (parts.isEmpty()) throw new MalformedInputException("pooling needs at least one dataset");
    int cols = parts.getFirst().featureCount();
    int rows = 0;
    for (LabelledData p : parts) {
      if (p.featureCount() != cols) {
        throw new MalformedInputException("datasets to pool have " + cols + " and " + p.featureCount() + " features; they must share one schema");
      }
      rows += p.rows();
    }
    DMatrixRMaj x = new DMatrixRMaj(rows, cols);
    double[] y = new double[rows];
    int at = 0;
    for (LabelledData p : parts) {
      System.arraycopy(p.features.data, 0, x.data, at * cols, p.rows() * cols);
      System.arraycopy(p.labels, 0, y, at, p.rows());
      at += p.rows();
    }
    return new LabelledData(x, y);
  }

  /** Rows {@code [from, to)} as a new dataset. */
  public LabelledData slice(int from, int to) {
    if (from < 0 || to > rows() || from >= to) throw new MalformedInputException("rows " + from + " to " + to + " are not within 0 to " + rows());
    int cols = featureCount();
    DMatrixRMaj x = new DMatrixRMaj(to - from, cols);
    System.arraycopy(features.data, from * cols, x.data, 0, (to - from) * cols);
    double[] y = new double[to - from];
    System.arraycopy(labels, from, y, 0, to - from);
    return new LabelledData(x, y);
  }

  /** Splits into a training part (the first {@code fraction} of rows) and a held-out part. */
  public List<LabelledData> split(double fraction) {
    int cut = (int) Math.round(rows() * fraction);
    if (cut <= 0 || cut >= rows()) throw new MalformedInputException("a split at " + fraction + " of " + rows() + " rows leaves one side empty");
    List<LabelledData> out = new ArrayList<>(2);
    out.add(slice(0, cut));
    out.add(slice(cut, rows()));
    return out;
  }
}
