package io.covenant.core.id;

import io.covenant.core.error.MalformedInputException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A submitted computation. Random, so that ids reveal nothing about order or volume of other parties' jobs. */
public record JobId(String value) implements Comparable<JobId> {
  private static final Pattern FORM = Pattern.compile("job-[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public JobId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new MalformedInputException("job id '" + value + "' is not valid: expected job- followed by 16 hex digits");
    }
  }

  public static JobId random() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return new JobId("job-" + HexFormat.of().formatHex(b));
  }

  @Override
  public int compareTo(JobId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
