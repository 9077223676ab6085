package io.covenant.tee.compute;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import io.covenant.core.text.TextTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows a consumer receives from a TEE job: only groups that passed the output controls. Values are Long or
 * BigInteger, Double, BigDecimal, String, Boolean, LocalDate, or null.
 *
 * <p>On the wire it is canonical JSON ({@code {"v","job","columns":[{name,type}],"rows"}}) sealed with HPKE
 * (RFC 9180) to the consumer's key, info {@value #INFO}, associated data the job id: a result cannot be opened by
 * anyone else, nor passed off as another job's.
 */
public record ResultTable(List<String> columns, List<List<Object>> rows) {
  /** HPKE info string of sealed results. */
  public static final String INFO = "covenant/result/v1";
  private static final int VERSION = 1;

  public ResultTable {
    if (columns == null || columns.isEmpty()) throw new MalformedInputException("a result table needs at least one column");
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> r : rows) {
      if (r.size() != columns.size()) {
        throw new MalformedInputException("a result row has " + r.size() + " values; the table has " + columns.size() + " columns");
      }
      copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /**
   * Consumer side: opens a sealed result of {@code job} with the consumer's key pair. Throws
   * {@link IntegrityException} if it was sealed to someone else or for another job, or altered.
   */
  public static ResultTable open(byte[] sealed, HpkeKeyPair consumer, JobId job) {
    SealedMessage message;
    try {
      message = SealedMessage.fromBytes(sealed);
    } catch (MalformedInputException e) {
      throw new IntegrityException("the result of " + job + " is not a sealed result: it was truncated or altered", e);
    }
    byte[] plain;
    try {
      plain = consumer.open(message, INFO.getBytes(StandardCharsets.UTF_8), aad(job));
    } catch (IntegrityException e) {
      throw new IntegrityException("the result of " + job + " cannot be opened with this key pair: it was sealed to another "
          + "consumer or for another job, or it was altered", e);
    }
    Json.JObject o = Json.parseObject(plain);
    if (o.number("v") != VERSION) throw new MalformedInputException("result format version " + o.number("v") + " is not supported");
    if (!o.string("job").equals(job.value())) throw new IntegrityException("the sealed result names " + o.string("job") + ", not " + job);
    List<String> names = new ArrayList<>();
    List<ValueKind> kinds = new ArrayList<>();
    for (Json.JObject c : o.objects("columns")) {
      names.add(c.string("name"));
      kinds.add(ValueKind.parse(c.string("type")));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Json r : o.array("rows")) {
      if (!(r instanceof Json.JArray a) || a.items().size() != kinds.size()) throw new MalformedInputException("a result row does not match the columns");
      List<Object> row = new ArrayList<>(kinds.size());
      for (int i = 0; i < kinds.size(); i++) row.add(kinds.get(i).fromJson(a.items().get(i)));
      rows.add(row);
    }
    return new ResultTable(names, rows);
  }

  /** Enclave side: canonical JSON of the table, HPKE-sealed to the consumer; the bytes a SealedResult carries. */
  static byte[] seal(ResultTable table, List<ValueKind> kinds, JobId job, HpkePublicKey consumer) {
    List<Json> columns = new ArrayList<>();
    for (int i = 0; i < table.columns.size(); i++) {
      columns.add(Json.obj("name", table.columns.get(i), "type", kinds.get(i).wireName()));
    }
    List<Json> rows = new ArrayList<>(table.rows.size());
    for (List<Object> r : table.rows) {
      List<Json> cells = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) cells.add(kinds.get(i).toJson(r.get(i)));
      rows.add(new Json.JArray(cells));
    }
    byte[] plain = Json.obj("v", VERSION, "job", job.value(), "columns", columns, "rows", rows).canonicalBytes();
    return HpkeKeyPair.seal(consumer, INFO.getBytes(StandardCharsets.UTF_8), aad(job), plain).toBytes();
  }

  /**
   * Seals a table whose every value is text (e.g. a federated model's parameters, written as exact decimal doubles),
   * in the same format and to the same key as an enclave's result: the consumer opens it with {@link #open}.
   */
  public static byte[] sealText(ResultTable table, JobId job, HpkePublicKey consumer) {
    return seal(table, java.util.Collections.nCopies(table.columns.size(), ValueKind.STRING), job, consumer);
  }

  private static byte[] aad(JobId job) {
    return job.value().getBytes(StandardCharsets.UTF_8);
  }

  /** An aligned text table for a terminal, through core's {@link TextTable}. */
  public String render() {
    TextTable t = TextTable.withHeaders(columns);
    for (List<Object> r : rows) t.row(r);
    return t.render();
  }

  @Override
  public String toString() {
    return "ResultTable[" + columns + ", " + rows.size() + " rows]";
  }
}
