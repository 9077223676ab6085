package io.covenant.mpc.psi;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.sql.OpenedTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The result of a private set intersection job on its way to the consumer. Each of the two seats seals its part to
 * the consumer's key with HPKE (RFC 9180), bound to the job and its seat: the receiver (seat 0, the consumer's own
 * node) its matched ids, the sender (seat 1) only its statement that it ran this computation and how many rows it
 * read. The coordinator stores the two parts as one bundle whose SHA-256 RESULT_COMMITTED records; it can read
 * neither. The consumer opens both and checks that both seats ran the computation it signed.
 */
public final class SealedIntersection {
  /** HPKE info string, and the bundle's format name. */
  public static final String INFO = "covenant/psi-result/v1";
  private static final int VERSION = 1;

  private SealedIntersection() {}

  /**
   * A seat's part: {@code matchedIds} are the receiver's ids that the sender also holds (empty for the sender, which
   * learns them only where the job and the policies allow, and then keeps them at its own node).
   */
  public static byte[] seal(JobId job, int seat, OrgId org, Computation.PrivateSetIntersection computation, long rowsRead, List<String> matchedIds,
      HpkePublicKey consumer) {
    Json.JObject plain = Json.obj("v", (long) VERSION, "job", job.value(), "seat", (long) seat, "org", org.value(), "computation", computation.toJson(),
        "rows", rowsRead, "ids", matchedIds);
    return HpkeKeyPair.seal(consumer, INFO.getBytes(StandardCharsets.UTF_8), aad(job, seat), plain.canonicalBytes()).toBytes();
  }

  /** The two parts, receiver's first, as one bundle (canonical JSON). */
  public static byte[] bundle(JobId job, List<byte[]> partsInSeatOrder) {
    return io.covenant.mpc.sharing.SealedBundle.of(INFO, job, partsInSeatOrder, 2);
  }

  /** Whether {@code bytes} are a bundle of this kind. */
  public static boolean isBundle(byte[] bytes) {
    return io.covenant.mpc.sharing.SealedBundle.is(bytes, INFO);
  }

  /**
   * Consumer side: opens both parts with the consumer's key, checks each belongs to {@code job} and its seat and that
   * both seats ran the computation whose hash the consumer signed ({@code computationHash}), and returns the matched
   * ids as a one-column table, sorted.
   *
   * @throws IntegrityException naming the part that does not fit
   */
  public static OpenedTable openTable(byte[] bundle, HpkeKeyPair consumer, JobId job, Digest computationHash) {
    List<String> parts = io.covenant.mpc.sharing.SealedBundle.parts(bundle, INFO, job, 2);
    List<String> ids = null;
    for (int seat = 0; seat < 2; seat++) {
      Json.JObject o;
      try {
        byte[] plain = consumer.open(SealedMessage.fromBytes(Base64.getDecoder().decode(parts.get(seat))), INFO.getBytes(StandardCharsets.UTF_8), aad(job, seat));
        o = Json.parseObject(plain);
      } catch (RuntimeException e) {
        throw new IntegrityException("part " + seat + " of the result of " + job + " cannot be opened with this key pair: it was sealed to another consumer,"
            + " for another job or seat, or altered");
      }
      if (o.number("v") != VERSION || !job.value().equals(o.string("job")) || o.number("seat") != seat) {
        throw new IntegrityException("part " + seat + " of the result of " + job + " names job " + o.string("job") + ", seat " + o.number("seat"));
      }
      if (!Computation.fromJson(o.object("computation")).hash(consumer.suite()).equals(computationHash)) {
        throw new IntegrityException(o.string("org") + " (seat " + seat + ") ran another intersection than the one job " + job + " submitted; do not use the result");
      }
      if (seat == 0) ids = o.strings("ids");
      else if (!o.strings("ids").isEmpty()) throw new IntegrityException(o.string("org") + " (seat 1, the sender) returned ids: the sender learns none for the consumer");
    }
    List<String> sorted = new ArrayList<>(ids);
    java.util.Collections.sort(sorted);
    List<List<Object>> rows = new ArrayList<>(sorted.size());
    for (String id : sorted) rows.add(List.of(id));
    return new OpenedTable(List.of("matched_id"), rows);
  }

  private static byte[] aad(JobId job, int seat) {
    return (job.value() + "#psi#" + seat).getBytes(StandardCharsets.UTF_8);
  }
}
