package io.covenant.mpc.psi;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How an id column is normalised before matching, so that the same person's id written by two organisations becomes the
 * same bytes on both sides. Every rule strips leading and trailing white space (Unicode {@code String.strip}) and puts
 * the result in Unicode Normalization Form C (UAX #15); {@link #CASE_INSENSITIVE} then folds case (upper-casing then
 * lower-casing in the root locale, which maps "ß" to "ss" as full case folding does) and normalises to NFC again.
 *
 * <p>An id is malformed, and the whole run is refused before anything is sent, if after stripping it is empty, longer
 * than {@link #MAX_ID_BYTES} bytes of UTF-8, or contains a control character or an unpaired surrogate.
 */
public enum IdRule {
  /** Ids whose case matters (pseudonyms, hashes in base64): strip and NFC only. */
  CASE_SENSITIVE,
  /** Ids whose case does not matter (e-mail addresses, national ids with letters, hex digests): also fold case. */
  CASE_INSENSITIVE;

  /** Longest id accepted, in bytes of its UTF-8 encoding after normalisation. */
  public static final int MAX_ID_BYTES = 1024;

  /** The normalised form of the id at {@code row}; the message of a refusal names the row, never the id. */
  public String normalise(String id, long row) {
    if (id == null) throw new MalformedIdException(row, "is missing (null)");
    String s = Normalizer.normalize(id.strip(), Normalizer.Form.NFC);
    if (this == CASE_INSENSITIVE) {
      s = Normalizer.normalize(s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }
    if (s.isEmpty()) throw new MalformedIdException(row, "is empty or only white space");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) throw new MalformedIdException(row, "contains a control character at position " + i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new MalformedIdException(row, "contains an unpaired surrogate at position " + i + " (not valid Unicode text)");
      }
      if (Character.isLowSurrogate(c)) throw new MalformedIdException(row, "contains an unpaired surrogate at position " + i + " (not valid Unicode text)");
    }
    if (s.length() * 3 > MAX_ID_BYTES && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new MalformedIdException(row, "is longer than " + MAX_ID_BYTES + " bytes of UTF-8");
    }
    return s;
  }
}
