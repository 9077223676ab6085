package io.covenant.core.text;

/** A count with its noun in the right number, for messages a person reads: "1 job", "2 jobs", "0 entries". */
public final class Plural {
  private Plural() {}

  /** {@code n} and the noun, with "s" added unless {@code n} is 1. */
  public static String of(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }

  /** {@code n} and the singular or the given plural form, for nouns such as "entry"/"entries". */
  public static String of(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
