package io.covenant.mpc.sql;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.Party;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A multi-party result on its way to the consumer: each committee member seals its two replicated shares, with the
 * job, its seat and the query layout it computed, to the consumer's key with HPKE (RFC 9180), and the coordinator
 * stores the three sealed parts together. The coordinator holds no share it can read; the consumer alone opens all
 * three, checks that the parties agree (each share is held by two parties, so a party that alters its shares, or
 * computed another layout, is caught and named), and adds the shares up.
 */
public final class SealedShares {
  /** HPKE info string of sealed shares. */
  public static final String INFO = "covenant/mpc-shares/v1";
  private static final int VERSION = 1;

  private SealedShares() {}

  /** A party's shares sealed to the consumer: the bytes the party's node returns for the job. */
  public static byte[] seal(JobId job, Committee committee, Party seat, Json.JObject layout, ShareVector shares, HpkePublicKey consumer) {
    Json.JObject plain = Json.obj("v", (long) VERSION, "job", job.value(), "seat", (long) seat.index(), "org", committee.member(seat).value(),
        "committee", committee.members().stream().map(OrgId::value).toList(), "layout", layout,
        "first", encode(shares.firstShare()), "second", encode(shares.secondShare()));
    return HpkeKeyPair.seal(consumer, INFO.getBytes(StandardCharsets.UTF_8), aad(job, seat), plain.canonicalBytes()).toBytes();
  }

  /** The three parts as one bundle (canonical JSON): what the coordinator stores and RESULT_COMMITTED hashes. */
  public static byte[] bundle(JobId job, List<byte[]> partsInSeatOrder) {
    return io.covenant.mpc.sharing.SealedBundle.of(INFO, job, partsInSeatOrder, 3);
  }

  /** Whether {@code bytes} are a bundle of sealed shares (rather than a result sealed by an enclave). */
  public static boolean isBundle(byte[] bytes) {
    return io.covenant.mpc.sharing.SealedBundle.is(bytes, INFO);
  }

  /** What the consumer reconstructs: the agreed layout and the values (kept flags, then masked measurements). */
  public record Opened(Json.JObject layout, List<OrgId> committee, long[] values) {}

  /**
   * Consumer side: opens the three parts of {@code bundle} with the consumer's key, checks they belong to {@code job},
   * sit in their seats, agree on the committee and layout, and that every share held by two parties is the same at
   * both; then adds the shares.
   *
   * @throws IntegrityException naming the part or party that does not fit
   */
  public static Opened open(byte[] bundle, HpkeKeyPair consumer, JobId job) {
    List<String> parts = io.covenant.mpc.sharing.SealedBundle.parts(bundle, INFO, job, 3);
    long[][] first = new long[3][];
    long[][] second = new long[3][];
    Json.JObject layout = null;
    List<String> committee = null;
    for (int i = 0; i < 3; i++) {
      Party seat = Party.of(i);
      byte[] plain;
      try {
        plain = consumer.open(SealedMessage.fromBytes(Base64.getDecoder().decode(parts.get(i))), INFO.getBytes(StandardCharsets.UTF_8), aad(job, seat));
      } catch (RuntimeException e) {
        throw new IntegrityException("part " + i + " of the result of " + job + " cannot be opened with this key pair: it was sealed to another consumer,"
            + " for another job or seat, or altered");
      }
      Json.JObject o = Json.parseObject(plain);
      if (o.number("v") != VERSION || !job.value().equals(o.string("job")) || o.number("seat") != i) {
        throw new IntegrityException("part " + i + " of the result of " + job + " names job " + o.string("job") + ", seat " + o.number("seat"));
      }
      if (layout == null) {
        layout = o.object("layout");
        committee = o.strings("committee");
      } else if (!java.util.Arrays.equals(layout.canonicalBytes(), o.object("layout").canonicalBytes()) || !committee.equals(o.strings("committee"))) {
        throw new IntegrityException(o.string("org") + " (seat " + i + ") computed another query layout or committee than seat 0: the parties disagree, do not use the result");
      }
      first[i] = decode(o.string("first"));
      second[i] = decode(o.string("second"));
      if (first[i].length != first[0].length || second[i].length != first[0].length) {
        throw new IntegrityException(o.string("org") + " (seat " + i + ") returned shares of another length than seat 0");
      }
    }
    // Seat i holds (x_i, x_{i+1}); seat i+1 holds (x_{i+1}, x_{i+2}): the shared share must be the same at both.
    for (int i = 0; i < 3; i++) {
      int next = (i + 1) % 3;
      if (!java.util.Arrays.equals(second[i], first[next])) {
        throw new IntegrityException("the shares of " + committee.get(i) + " (seat " + i + ") and " + committee.get(next) + " (seat " + next
            + ") disagree: one of them altered its result; do not use it");
      }
    }
    long[] values = new long[first[0].length];
    for (int j = 0; j < values.length; j++) values[j] = first[0][j] + first[1][j] + first[2][j];
    return new Opened(layout, committee.stream().map(OrgId::new).toList(), values);
  }

  /**
   * Consumer side, to the table: opens and checks the bundle ({@link #open}), requires the SQL the parties computed to
   * be the computation the consumer signed ({@code computationHash} from its JOB_SUBMITTED), and releases the groups
   * the committee kept.
   */
  public static OpenedTable openTable(byte[] bundle, HpkeKeyPair consumer, JobId job, io.covenant.core.crypto.Digest computationHash) {
    Opened opened = open(bundle, consumer, job);
    if (MODEL.equals(opened.layout().string("kind", ""))) return model(opened, job, computationHash, consumer.suite());
    SecureAggregateQuery query = SecureAggregateQuery.fromLayout(opened.layout());
    if (!new io.covenant.core.job.Computation.SqlQuery(query.sql()).hash(consumer.suite()).equals(computationHash)) {
      throw new IntegrityException("the committee computed another query than the one job " + job + " submitted; do not use the result");
    }
    int g = query.groups();
    int k = query.measurements().size();
    if (opened.values().length != g + k * g) {
      throw new IntegrityException("the result of " + job + " has " + opened.values().length + " values; its query has " + (g + k * g));
    }
    long[] kept = java.util.Arrays.copyOfRange(opened.values(), 0, g);
    for (long flag : kept) {
      if (flag != 0 && flag != 1) throw new IntegrityException("the result of " + job + " holds a kept-flag that is neither 0 nor 1: the parties' shares were altered");
    }
    return query.release(kept, java.util.Arrays.copyOfRange(opened.values(), g, opened.values().length));
  }

  private static final String MODEL = "vertical-logistic-regression";

  /** A vertical model: the weights of the features in order, then the intercept, in the session's fixed point. */
  private static OpenedTable model(Opened opened, JobId job, io.covenant.core.crypto.Digest computationHash, io.covenant.core.crypto.CryptoSuite suite) {
    io.covenant.core.job.Computation computation = io.covenant.core.job.Computation.fromJson(opened.layout().object("computation"));
    if (!(computation instanceof io.covenant.core.job.Computation.VerticalLogisticRegression model) || !computation.hash(suite).equals(computationHash)) {
      throw new IntegrityException("the committee trained another model than the one job " + job + " submitted; do not use the result");
    }
    int f = model.features().size();
    if (opened.values().length != f + 1) {
      throw new IntegrityException("the model of " + job + " has " + opened.values().length + " weights; " + f + " features and an intercept need " + (f + 1));
    }
    double[] w = io.covenant.mpc.ring.FixedPoint.DEFAULT.decode(opened.values());
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < f; i++) rows.add(List.of(model.features().get(i), w[i]));
    rows.add(List.of("(intercept)", w[f]));
    rows.add(List.of("(matched rows)", opened.layout().number("rows")));
    return new OpenedTable(List.of("term", "weight"), rows);
  }

  private static byte[] aad(JobId job, Party seat) {
    return (job.value() + "#" + seat.index()).getBytes(StandardCharsets.UTF_8);
  }

  private static String encode(long[] words) {
    ByteBuffer buf = ByteBuffer.allocate(words.length * Long.BYTES);
    for (long w : words) buf.putLong(w);
    return Base64.getEncoder().encodeToString(buf.array());
  }

  private static long[] decode(String text) {
    byte[] raw = Base64.getDecoder().decode(text);
    if (raw.length % Long.BYTES != 0) throw new MalformedInputException("a share vector is not a whole number of 64-bit words");
    ByteBuffer buf = ByteBuffer.wrap(raw);
    long[] out = new long[raw.length / Long.BYTES];
    for (int i = 0; i < out.length; i++) out[i] = buf.getLong();
    return out;
  }

  /** For callers that hold the parts of a bundle (the coordinator assembling it): the bundle's parts in seat order. */
  public static List<byte[]> parts(byte[] bundle) {
    return io.covenant.mpc.sharing.SealedBundle.decoded(bundle);
  }
}
