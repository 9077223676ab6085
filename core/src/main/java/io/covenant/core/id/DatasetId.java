package io.covenant.core.id;

import io.covenant.core.error.MalformedInputException;
import java.util.regex.Pattern;

/** A dataset, named within its owner's namespace: {@code hospital-a/claims}. */
public record DatasetId(OrgId owner, String name) implements Comparable<DatasetId> {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  public DatasetId {
    if (owner == null) throw new MalformedInputException("dataset id needs an owner organisation");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new MalformedInputException(
          "dataset name '" + name + "' is not valid: use 1-63 lower-case letters, digits, '.', '_' or '-'");
    }
  }

  /** Parses {@code owner/name}. */
  public static DatasetId parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) throw new MalformedInputException("dataset id '" + text + "' must look like owner/name, e.g. hospital-a/claims");
    return new DatasetId(new OrgId(text.substring(0, slash)), text.substring(slash + 1));
  }

  @Override
  public int compareTo(DatasetId o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return owner + "/" + name;
  }
}
