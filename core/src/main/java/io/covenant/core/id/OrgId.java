package io.covenant.core.id;

import io.covenant.core.error.MalformedInputException;
import java.util.regex.Pattern;

/** An organisation taking part in Covenant: a hospital, an insurer, a vehicle maker, an operator. */
public record OrgId(String value) implements Comparable<OrgId> {
  private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public OrgId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new MalformedInputException(
          "organisation id '" + value + "' is not valid: use 1-63 lower-case letters, digits or '-', starting with a letter or digit");
    }
  }

  public static OrgId of(String value) {
    return new OrgId(value);
  }

  @Override
  public int compareTo(OrgId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
