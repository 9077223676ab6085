package io.covenant.mpc.spdz;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.job.MpcSecurity;
import io.covenant.mpc.sharing.SealedBundle;
import io.covenant.mpc.sql.OpenedTable;
import io.covenant.mpc.sql.SecureAggregateQuery;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A malicious-secure result on its way to the consumer: SPDZ opened the released values toward the consumer's party
 * only (after the MAC check), and that party, the consumer's own node, seals them with the query layout to the
 * consumer's key with HPKE (RFC 9180). The coordinator stores the one sealed part as a bundle whose SHA-256
 * RESULT_COMMITTED records, and reads nothing of it.
 */
public final class SealedSpdzResult {
  /** HPKE info string and bundle format of a SPDZ result. */
  public static final String INFO = "covenant/mpc-spdz-result/v1";

  private SealedSpdzResult() {}

  /** The consumer's node seals what SPDZ opened toward it: the kept flags, then the masked measurements. */
  public static byte[] seal(JobId job, List<OrgId> parties, SecureAggregateQuery query, long[] released, HpkePublicKey consumer) {
    Json.JObject plain = Json.obj("job", job.value(), "security", MpcSecurity.MALICIOUS.wireName(), "parties", parties.stream().map(OrgId::value).toList(),
        "layout", query.layout(), "values", Arrays.stream(released).boxed().toList());
    return HpkeKeyPair.seal(consumer, INFO.getBytes(StandardCharsets.UTF_8), job.value().getBytes(StandardCharsets.UTF_8), plain.canonicalBytes()).toBytes();
  }

  /** The one part as the bundle the coordinator stores. */
  public static byte[] bundle(JobId job, byte[] consumerPart) {
    return SealedBundle.of(INFO, job, List.of(consumerPart), 1);
  }

  public static boolean isBundle(byte[] bytes) {
    return SealedBundle.is(bytes, INFO);
  }

  /**
   * Opens the bundle with the consumer's key and checks it answers the query the consumer signed (in the malicious
   * mode: {@code computationHash} is the job's, from its JOB_SUBMITTED).
   *
   * @throws IntegrityException naming what does not fit
   */
  public static OpenedTable openTable(byte[] bundle, HpkeKeyPair consumer, JobId job, Digest computationHash) {
    String part = SealedBundle.parts(bundle, INFO, job, 1).getFirst();
    Json.JObject o;
    try {
      byte[] plain = consumer.open(SealedMessage.fromBytes(java.util.Base64.getDecoder().decode(part)), INFO.getBytes(StandardCharsets.UTF_8),
          job.value().getBytes(StandardCharsets.UTF_8));
      o = Json.parseObject(plain);
    } catch (RuntimeException e) {
      throw new IntegrityException("the malicious-secure result of " + job + " does not open with the consumer's key: it was altered, or sealed to another organisation", e);
    }
    if (!job.value().equals(o.string("job", ""))) throw new IntegrityException("the sealed result belongs to job " + o.string("job", "?") + ", not " + job);
    SecureAggregateQuery query = SecureAggregateQuery.fromLayout(o.object("layout"));
    if (!new Computation.SqlQuery(query.sql(), MpcSecurity.MALICIOUS).hash(consumer.suite()).equals(computationHash)) {
      throw new IntegrityException("the parties computed another query, or another security mode, than job " + job + " submitted; do not use the result");
    }
    List<Json> raw = o.array("values");
    int g = query.groups();
    int length = (query.measurements().size() + 1) * g;
    if (raw.size() != length) throw new IntegrityException("the result of " + job + " has " + raw.size() + " values; its query has " + length);
    long[] values = new long[length];
    for (int i = 0; i < length; i++) {
      if (!(raw.get(i) instanceof Json.JNumber n)) throw new IntegrityException("value " + i + " of the result of " + job + " is not a number");
      values[i] = n.longValue();
    }
    long[] kept = Arrays.copyOfRange(values, 0, g);
    for (long flag : kept) if (flag != 0 && flag != 1) throw new IntegrityException("the result of " + job + " holds a kept-flag that is neither 0 nor 1");
    return query.release(kept, Arrays.copyOfRange(values, g, length));
  }
}
