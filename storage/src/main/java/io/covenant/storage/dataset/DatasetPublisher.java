package io.covenant.storage.dataset;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.cipher.ShardCipher;
import io.covenant.storage.cipher.ShardId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Turns Arrow batches into an encrypted, content-addressed dataset version: shards of Arrow IPC stream bytes, each
 * sealed with {@link ShardCipher} and stored as a raw block, then one owner-signed DAG-JSON manifest block.
 *
 * <p>Nothing is registered anywhere: if publishing fails, the blocks already written are unreferenced ciphertext,
 * harmless and content-addressed, and the caller simply does not record the version. A failed publish throws only
 * after every shard already handed to a worker has finished, so no block is written after it returns.
 *
 * <p>Shards are sealed and stored by a few worker threads (twice the cores, because a durable store spends most of a
 * put waiting for fsync) with at most {@link ShardPipeline#WINDOW} shards in flight, so memory stays bounded.
 */
public final class DatasetPublisher {
  /** Upper bound on a sealed shard: 1 MiB, the largest block every IPFS implementation is expected to store and exchange. */
  public static final int MAX_SEALED_SHARD_BYTES = 1_048_576;
  private static final int MAX_PLAINTEXT_BYTES = MAX_SEALED_SHARD_BYTES - ShardCipher.OVERHEAD;

  private final Blockstore store;

  public DatasetPublisher(Blockstore store) {
    if (store == null) throw new MalformedInputException("a dataset publisher needs a block store");
    this.store = store;
  }

  /**
   * Each batch (a VectorSchemaRoot whose schema equals ArrowSchemas.toArrow(schema)) becomes one or more shards:
   * Arrow IPC stream bytes of the rows, split by row ranges so every sealed shard is <= 1 MiB (1,048,576 bytes).
   * Streaming: holds at most one batch's bytes. The owner's key decides the crypto suite: shards are sealed with AES-256-GCM
   * and addressed by sha2-256 under the international suite, with SM4-GCM and sm3-256 under the national one. The manifest
   * is signed by the owner (Ed25519 or SM2 over the manifest's
   * canonical JSON) and stored as ONE DAG-JSON block (codec Cid.DAG_JSON) whose shard entries link their CIDs
   * IPLD-style as {"/": "<cid>"}; returns its CID.
   *
   * <p>{@code key} must be fresh for this version (never used for another): the shard nonces depend on it.
   */
  public PublishedDataset publish(DatasetVersion version, DatasetSchema schema, Iterator<VectorSchemaRoot> batches, DataKey key, SigningKey owner) {
    if (version == null || schema == null || batches == null || key == null || owner == null) {
      throw new MalformedInputException("publishing needs a dataset version, a schema, batches, a data key and the owner's signing key");
    }
    Schema expected = ArrowSchemas.toArrow(schema);
    // The owner's key says the consortium's suite: an SM2 owner seals with SM4-GCM and addresses blocks by SM3.
    CryptoSuite suite = owner.suite();
    ShardCipher cipher = new ShardCipher(key, suite);
    List<ShardRef> shards = new ArrayList<>();
    long rows = 0;
    try (ShardPipeline pipeline = new ShardPipeline(version)) {
      int batchNumber = 0;
      int index = 0;
      while (batches.hasNext()) {
        VectorSchemaRoot batch = batches.next();
        batchNumber++;
        checkSchema(version, batchNumber, expected, batch.getSchema());
        int n = batch.getRowCount();
        int start = 0;
        while (start < n) {
          ShardId id = new ShardId(version, index++);
          int length = estimateRowsThatFit(batch, start, n);
          byte[] ipc = ipcStream(batch, start, length);
          while (ipc.length > MAX_PLAINTEXT_BYTES) {
            if (length == 1) {
              throw new MalformedInputException("row " + (rows + start + 1) + " of " + version + " takes " + ipc.length
                  + " bytes as Arrow, more than one shard holds (" + MAX_PLAINTEXT_BYTES + "); shorten its string values");
            }
            // The estimate is conservative, so this only runs for exotic schemas; shrink in proportion and retry.
            length = Math.max(1, (int) (length * (MAX_PLAINTEXT_BYTES * 0.95 / ipc.length)));
            ipc = ipcStream(batch, start, length);
          }
          // The batch may be reused by the next call to batches.next(), so its bytes are encoded here, on the caller's
          // thread; sealing, hashing and storing (the expensive, and for a durable store I/O-bound, part) run on workers.
          byte[] plaintext = ipc;
          long shardRows = length;
          pipeline.submit(id, () -> {
            byte[] sealed = cipher.seal(id, plaintext);
            Cid cid = store.put(suite, Cid.RAW, sealed);
            return new ShardRef(id.index(), cid, shardRows, sealed.length);
          });
          start += length;
        }
        rows += n;
      }
      shards.addAll(pipeline.finish());
    }
    DatasetManifest manifest = new DatasetManifest(version, schema, rows, shards, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    SignedManifest signed = SignedManifest.sign(manifest, owner);
    Cid manifestCid;
    try {
      manifestCid = store.put(suite, Cid.DAG_JSON, signed.toBlock());
    } catch (CovenantException e) {
      throw new CovenantException("publishing " + version + " failed while storing its manifest: " + e.getMessage()
          + "; the version was not published (its shards are stored but nothing refers to them): fix the cause and publish again", e);
    }
    return new PublishedDataset(manifestCid, signed);
  }

  /** Names the first column whose Arrow field differs, so a caller can see which column the batch got wrong. */
  private static void checkSchema(DatasetVersion version, int batchNumber, Schema expected, Schema actual) {
    if (expected.equals(actual)) return;
    List<Field> want = expected.getFields();
    List<Field> got = actual.getFields();
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      Field w = i < want.size() ? want.get(i) : null;
      Field g = i < got.size() ? got.get(i) : null;
      if (w != null && w.equals(g)) continue;
      String problem;
      if (w == null) problem = "has an extra column '" + g.getName() + "' at position " + (i + 1) + " that the dataset schema does not have";
      else if (g == null) problem = "lacks column '" + w.getName() + "' (position " + (i + 1) + ")";
      else if (!w.getName().equals(g.getName())) problem = "has column '" + g.getName() + "' at position " + (i + 1) + " where the dataset schema has '" + w.getName() + "'";
      else if (!w.getType().equals(g.getType())) problem = "has column '" + w.getName() + "' as Arrow " + g.getType() + " but the dataset schema needs " + w.getType();
      else problem = "has column '" + w.getName() + "' with field metadata or nullability " + g.getMetadata() + "/" + g.isNullable()
          + " instead of " + w.getMetadata() + "/" + w.isNullable();
      throw new MalformedInputException("batch " + batchNumber + " for " + version + " " + problem + "; build batches with ArrowSchemas.toArrow(schema)");
    }
    throw new MalformedInputException("batch " + batchNumber + " for " + version + " has Arrow schema metadata " + actual.getCustomMetadata()
        + " where the dataset schema has " + expected.getCustomMetadata() + "; build batches with ArrowSchemas.toArrow(schema)");
  }

  /**
   * How many rows from {@code start} fit in one shard, judged from the Arrow buffer sizes the IPC writer will emit
   * (values, offsets, validity bitmaps, 8-byte padding) plus a bound on the stream's metadata.
   */
  private static int estimateRowsThatFit(VectorSchemaRoot batch, int start, int end) {
    List<FieldVector> vectors = batch.getFieldVectors();
    int columns = vectors.size();
    // Schema message (field names, types, sensitivity metadata), record-batch header, end-of-stream marker and
    // padding of three buffers per column: generous so that the measured stream almost never exceeds the budget.
    long metadata = 4096 + columns * 512L;
    long budget = MAX_PLAINTEXT_BYTES - metadata;
    long fixedPerRow = 0;
    List<BaseVariableWidthVector> variable = new ArrayList<>();
    for (FieldVector v : vectors) {
      if (v instanceof BaseVariableWidthVector vw) {
        variable.add(vw);
        fixedPerRow += BaseVariableWidthVector.OFFSET_WIDTH;
      } else {
        fixedPerRow += v.getField().getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.Date ? 4 : 8;
      }
    }
    long used = columns * 8L; // the extra offset entry per variable column and bitmap rounding
    int rows = 0;
    for (int i = start; i < end; i++) {
      long row = fixedPerRow + (columns + 7) / 8 + 1;
      for (BaseVariableWidthVector vw : variable) row += vw.getValueLength(i);
      if (used + row > budget && rows > 0) break;
      used += row;
      rows++;
    }
    return rows;
  }

  private static byte[] ipcStream(VectorSchemaRoot batch, int start, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try (VectorSchemaRoot slice = batch.slice(start, length);
        ArrowStreamWriter writer = new ArrowStreamWriter(slice, null, out)) {
      writer.start();
      writer.writeBatch();
      writer.end();
    } catch (IOException e) {
      throw new CovenantException("could not encode rows " + start + " to " + (start + length) + " as Arrow IPC: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
