package io.covenant.storage.dataset;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.DatasetSchema;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an owner publishes about a dataset version: its schema, row count and the ordered list of its sealed shards.
 * Holds no values and no keys. The canonical JSON of {@link #toJson()} is what the owner signs.
 */
public record DatasetManifest(DatasetVersion dataset, DatasetSchema schema, long rows, List<ShardRef> shards, Instant createdAt) {
  /** Identifies the document type inside the signed bytes, so a manifest signature cannot be passed off as anything else. */
  static final String TYPE = "covenant/dataset-manifest/v1";
  static final String CIPHER = "aes-256-gcm/shard-v1";
  static final String FORMAT = "arrow-ipc-stream";

  public DatasetManifest {
    if (dataset == null || schema == null || shards == null || createdAt == null) {
      throw new MalformedInputException("a dataset manifest needs a dataset, a schema, shards and a creation time");
    }
    shards = List.copyOf(shards);
    long sum = 0;
    for (int i = 0; i < shards.size(); i++) {
      ShardRef s = shards.get(i);
      if (s.index() != i) {
        throw new MalformedInputException("manifest of " + dataset + " lists shard " + s.index() + " at position " + i + "; shards must be listed in index order from 0");
      }
      sum += s.rows();
    }
    if (rows != sum) throw new MalformedInputException("manifest of " + dataset + " says " + rows + " rows but its shards hold " + sum);
  }

  public Json.JObject toJson() {
    List<Json> refs = new ArrayList<>(shards.size());
    for (ShardRef s : shards) refs.add(s.toJson());
    return Json.obj(
        "type", TYPE,
        "dataset", dataset.dataset().toString(),
        "version", dataset.version(),
        "schema", schema.toJson(),
        "schemaHash", schemaHash().hex(),
        "rows", rows,
        "format", FORMAT,
        "cipher", CIPHER,
        "shards", new Json.JArray(refs),
        "createdAt", createdAt.toString());
  }

  public static DatasetManifest fromJson(Json.JObject o) {
    if (!TYPE.equals(o.string("type"))) throw new MalformedInputException("document is a '" + o.string("type") + "', not a " + TYPE);
    if (!FORMAT.equals(o.string("format")) || !CIPHER.equals(o.string("cipher"))) {
      throw new MalformedInputException("manifest uses format '" + o.string("format") + "' and cipher '" + o.string("cipher")
          + "'; this version of Covenant reads " + FORMAT + " sealed with " + CIPHER);
    }
    long version = o.number("version");
    if (version < 1 || version > Integer.MAX_VALUE) throw new MalformedInputException("manifest version " + version + " is out of range");
    DatasetVersion dataset = new DatasetVersion(DatasetId.parse(o.string("dataset")), (int) version);
    DatasetSchema schema = DatasetSchema.fromJson(o.array("schema"));
    List<ShardRef> shards = new ArrayList<>();
    for (Json.JObject s : o.objects("shards")) shards.add(ShardRef.fromJson(s));
    Instant created;
    try {
      created = Instant.parse(o.string("createdAt"));
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("manifest of " + dataset + " has createdAt '" + o.string("createdAt") + "', not an ISO-8601 instant", e);
    }
    DatasetManifest m = new DatasetManifest(dataset, schema, o.number("rows"), shards, created);
    if (!m.schemaHash().hex().equals(o.string("schemaHash"))) {
      throw new MalformedInputException("manifest of " + dataset + " carries a schemaHash that does not match its schema");
    }
    return m;
  }

  /**
   * The crypto suite the shards were sealed and addressed under, read from their CIDs' multihash (sha2-256: the
   * international suite, sm3-256: the national one). A manifest whose shards mix suites is refused.
   */
  public io.covenant.core.crypto.CryptoSuite suite() {
    io.covenant.core.crypto.CryptoSuite suite = shards.isEmpty() ? io.covenant.core.crypto.CryptoSuite.INTL : shards.get(0).cid().suite();
    for (ShardRef r : shards) {
      if (r.cid().suite() != suite) {
        throw new MalformedInputException("manifest of " + dataset + " mixes crypto suites (shard " + r.index() + " is " + r.cid().suite().id()
            + ", shard 0 is " + suite.id() + "); a dataset is sealed under one suite: republish it");
      }
    }
    return suite;
  }

  /**
   * The hash of the schema's canonical JSON under the manifest's suite ({@link #suite}: SHA-256 for sha2-256 shards,
   * SM3 for sm3-256 ones): what DATASET_PUBLISHED records and policies pin.
   */
  public Digest schemaHash() {
    return schemaHash(suite(), schema);
  }

  /** The identifier of {@code schema} under {@code suite}: the one way a schema hash is made (manifest, catalogue, tests). */
  public static Digest schemaHash(io.covenant.core.crypto.CryptoSuite suite, DatasetSchema schema) {
    return suite.hash(schema.toJson().canonicalBytes());
  }
}
