package io.covenant.mpc.sharing;

import io.covenant.core.codec.Json;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A job's result made of parts each party sealed to the consumer, stored together by the coordinator as one canonical
 * JSON object {@code {"format", "job", "parts": [base64...]}} whose SHA-256 RESULT_COMMITTED records. The coordinator can
 * read none of the parts; {@code format} names what they are (shares of a committee, the seats of an intersection).
 */
public final class SealedBundle {
  private SealedBundle() {}

  /** The parts, in seat order, as one bundle; {@code seats} is how many the format has. */
  public static byte[] of(String format, JobId job, List<byte[]> partsInSeatOrder, int seats) {
    if (partsInSeatOrder.size() != seats) {
      throw new MalformedInputException("a " + format + " result has one part per seat, " + seats + " in all, not " + partsInSeatOrder.size());
    }
    return Json.obj("format", format, "job", job.value(), "parts", partsInSeatOrder.stream().map(p -> Base64.getEncoder().encodeToString(p)).toList())
        .canonicalBytes();
  }

  /** Whether {@code bytes} are a bundle of {@code format} (rather than another kind of result). */
  public static boolean is(byte[] bytes, String format) {
    if (bytes.length == 0 || bytes[0] != '{') return false;
    try {
      return format.equals(Json.parseObject(bytes).string("format"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The base64 parts of {@code bundle}, checked to be a {@code format} bundle of {@code job} with {@code seats} parts.
   *
   * @throws IntegrityException naming what does not fit: the consumer does not trust whoever served the bytes
   */
  public static List<String> parts(byte[] bundle, String format, JobId job, int seats) {
    Json.JObject b;
    List<String> parts;
    try {
      b = Json.parseObject(bundle);
      parts = b.strings("parts");
    } catch (RuntimeException e) {
      throw new IntegrityException("the result of " + job + " is not a bundle of sealed parts: it was truncated or altered");
    }
    if (!format.equals(b.string("format", "")) || !job.value().equals(b.string("job", "")) || parts.size() != seats) {
      throw new IntegrityException("the result bundle is a " + b.string("format", "?") + " of " + b.string("job", "?") + " with " + parts.size()
          + " parts, not a " + format + " of job " + job + " with " + seats);
    }
    return parts;
  }

  /** The decoded parts in seat order, for the coordinator assembling or re-checking a bundle. */
  public static List<byte[]> decoded(byte[] bundle) {
    List<byte[]> out = new ArrayList<>();
    for (String p : Json.parseObject(bundle).strings("parts")) out.add(Base64.getDecoder().decode(p));
    return out;
  }
}
