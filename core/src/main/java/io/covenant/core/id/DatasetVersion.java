package io.covenant.core.id;

import io.covenant.core.error.MalformedInputException;

/** One immutable published version of a dataset: {@code hospital-a/claims@3}. Versions start at 1. */
public record DatasetVersion(DatasetId dataset, int version) implements Comparable<DatasetVersion> {
  public DatasetVersion {
    if (dataset == null) throw new MalformedInputException("dataset version needs a dataset id");
    if (version < 1) throw new MalformedInputException("dataset version must be 1 or more, got " + version);
  }

  /** Parses {@code owner/name@version}. */
  public static DatasetVersion parse(String text) {
    int at = text == null ? -1 : text.lastIndexOf('@');
    if (at < 0) throw new MalformedInputException("dataset version '" + text + "' must look like owner/name@version, e.g. hospital-a/claims@1");
    int v;
    try {
      v = Integer.parseInt(text.substring(at + 1));
    } catch (NumberFormatException e) {
      throw new MalformedInputException("dataset version '" + text + "' has a non-numeric version after '@'");
    }
    return new DatasetVersion(DatasetId.parse(text.substring(0, at)), v);
  }

  public OrgId owner() {
    return dataset.owner();
  }

  @Override
  public int compareTo(DatasetVersion o) {
    int c = dataset.compareTo(o.dataset);
    return c != 0 ? c : Integer.compare(version, o.version);
  }

  @Override
  public String toString() {
    return dataset + "@" + version;
  }
}
