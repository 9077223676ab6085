package io.covenant.storage.dataset;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.blockstore.MissingBlockException;
import io.covenant.storage.cipher.ShardCipher;
import io.covenant.storage.cipher.ShardId;
import io.covenant.storage.cipher.TamperedShardException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** Reads a published dataset version back: its signed manifest, then its shards decrypted into Arrow batches. */
public final class DatasetReader {
  private static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final int AHEAD = WORKERS * 2;
  private final Blockstore store;

  public DatasetReader(Blockstore store) {
    if (store == null) throw new MalformedInputException("a dataset reader needs a block store");
    this.store = store;
  }

  /** Loads the manifest block, verifies the owner's signature (IntegrityException if it fails: name the dataset). */
  public SignedManifest manifest(Cid manifestCid, VerifyingKey owner) {
    if (manifestCid.codec() != Cid.DAG_JSON) {
      throw new MalformedInputException("CID " + manifestCid + " is not a DAG-JSON block, so it cannot be a dataset manifest; pass the manifest CID that DATASET_PUBLISHED recorded");
    }
    byte[] block = store.get(manifestCid);
    Json.JObject doc;
    Json.JObject signedPart;
    Signature signature;
    try {
      doc = Json.parseObject(block);
      signedPart = SignedManifest.manifestObject(doc);
      signature = SignedManifest.signatureOf(doc);
    } catch (MalformedInputException e) {
      throw new MalformedInputException("block " + manifestCid + " is not a Covenant dataset manifest: " + e.getMessage(), e);
    }
    String dataset = claimedName(signedPart);
    // Check the signature over the bytes as received, before interpreting anything they claim.
    if (!owner.verify(signedPart.canonicalBytes(), signature)) {
      throw new IntegrityException("manifest " + manifestCid + " of dataset " + dataset + " is not signed by the owner key " + owner.shortForm()
          + ": it was altered or signed by someone else; do not use this dataset version");
    }
    DatasetManifest manifest;
    try {
      manifest = DatasetManifest.fromJson(signedPart);
    } catch (MalformedInputException e) {
      throw new MalformedInputException("manifest " + manifestCid + " of dataset " + dataset + " is signed but malformed: " + e.getMessage(), e);
    }
    SignedManifest signed = new SignedManifest(manifest, signature);
    // One manifest, one encoding: refuse documents that carry anything the typed manifest would drop.
    if (!Arrays.equals(signed.toBlock(), block)) {
      throw new MalformedInputException("manifest " + manifestCid + " of dataset " + dataset + " is not in canonical form or carries unknown fields; republish it");
    }
    return signed;
  }

  /** The dataset a manifest claims to describe, for error messages only: it may be forged until the signature checks. */
  private static String claimedName(Json.JObject manifest) {
    Json name = manifest.members().get("dataset");
    Json version = manifest.members().get("version");
    if (name instanceof Json.JString s && version instanceof Json.JNumber n) return s.value() + "@" + n.encode();
    return "(unnamed)";
  }

  /**
   * Decrypts shards in index order, each verified by CID and GCM tag; the root handed to the consumer is valid only
   * during the call (closed afterwards). A tampered shard fails with TamperedShardException naming shard and dataset.
   */
  public void forEachBatch(SignedManifest manifest, DataKey key, BufferAllocator allocator, Consumer<VectorSchemaRoot> consumer) {
    DatasetManifest m = manifest.manifest();
    ShardCipher cipher = new ShardCipher(key, m.suite());
    Schema expected = ArrowSchemas.toArrow(m.schema());
    List<ShardRef> refs = m.shards();
    // Fetching, verifying and decrypting the next few shards runs on worker threads while the consumer works on the
    // current one; shards are still delivered strictly in index order, and at most AHEAD of them are held in memory.
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS, Thread.ofPlatform().daemon().name("read-" + m.dataset() + "-", 0).factory());
    // Shards are ~1 MiB, which G1 allocates as humongous objects and collects with concurrent cycles that compete with
    // the workers for the cores; reusing a few shard-sized buffers keeps reading allocation-free. At most AHEAD
    // plaintexts are in flight and one sealed buffer per worker is in use, so these queues never run dry for long.
    long largest = 0;
    for (ShardRef r : refs) largest = Math.max(largest, r.sealedBytes());
    int bufferBytes = (int) largest; // ShardRef caps sealedBytes at MAX_SEALED_SHARD_BYTES
    ConcurrentLinkedQueue<byte[]> sealedBuffers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<byte[]> plainBuffers = new ConcurrentLinkedQueue<>();
    ArrayDeque<Future<Opened>> ahead = new ArrayDeque<>();
    try {
      int next = 0;
      for (ShardRef ref : refs) {
        while (next < refs.size() && ahead.size() < AHEAD) {
          ShardRef r = refs.get(next++);
          ahead.add(pool.submit(() -> openShard(m, r, cipher, take(sealedBuffers, bufferBytes), sealedBuffers, take(plainBuffers, bufferBytes))));
        }
        ShardId id = new ShardId(m.dataset(), ref.index());
        Opened opened = await(ahead.poll(), id);
        try {
          deliver(id, ref, opened, expected, allocator, consumer);
        } finally {
          plainBuffers.add(opened.buffer());
        }
      }
    } finally {
      for (Future<Opened> f : ahead) f.cancel(true);
      pool.shutdownNow();
    }
  }

  /** A decrypted shard: its Arrow IPC stream is {@code buffer[0, length)}. */
  private record Opened(byte[] buffer, int length) {}

  private static byte[] take(ConcurrentLinkedQueue<byte[]> buffers, int bytes) {
    byte[] b = buffers.poll();
    return b != null ? b : new byte[bytes];
  }

  private Opened openShard(DatasetManifest m, ShardRef ref, ShardCipher cipher, byte[] sealed, ConcurrentLinkedQueue<byte[]> sealedBuffers, byte[] plain) {
    ShardId id = new ShardId(m.dataset(), ref.index());
    try {
      int length = fetch(id, ref.cid(), sealed);
      if (length != ref.sealedBytes()) {
        throw new TamperedShardException(id, "block " + ref.cid() + " holds " + length + " bytes but the manifest says " + ref.sealedBytes(), null);
      }
      return new Opened(plain, cipher.open(id, sealed, length, plain));
    } finally {
      sealedBuffers.add(sealed);
    }
  }

  private static Opened await(Future<Opened> shard, ShardId id) {
    try {
      return shard.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("reading " + id + " was interrupted");
    } catch (ExecutionException e) {
      // The worker's exception already names the shard, the CID and what to do; rethrow it as it is.
      if (e.getCause() instanceof RuntimeException re) throw re;
      if (e.getCause() instanceof Error err) throw err;
      throw new CovenantException("reading " + id + " failed: " + e.getCause(), e.getCause());
    }
  }

  private int fetch(ShardId id, Cid cid, byte[] into) {
    try {
      return store.get(cid, into);
    } catch (MissingBlockException e) {
      throw new MissingBlockException(cid, "it holds " + id + "; " + e.getMessage());
    } catch (IntegrityException e) {
      throw new TamperedShardException(id, "its block " + cid + " does not match its CID (" + e.getMessage() + "): the stored bytes were modified or truncated", e);
    }
  }

  private static void deliver(ShardId id, ShardRef ref, Opened ipc, Schema expected, BufferAllocator allocator, Consumer<VectorSchemaRoot> consumer) {
    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc.buffer(), 0, ipc.length()), allocator)) {
      VectorSchemaRoot root;
      try {
        root = reader.getVectorSchemaRoot();
        if (!expected.equals(root.getSchema())) {
          throw new MalformedInputException(id + " decrypted to Arrow schema " + root.getSchema() + ", not the manifest's " + expected);
        }
        if (!reader.loadNextBatch() || root.getRowCount() != ref.rows()) {
          throw new MalformedInputException(id + " decrypted to " + root.getRowCount() + " rows, not the " + ref.rows() + " its manifest lists");
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof MalformedInputException mie) throw mie;
        throw new MalformedInputException(id + " decrypted but is not a valid Arrow IPC stream: " + e.getMessage(), e);
      }
      consumer.accept(root);
    } catch (IOException e) {
      throw new MalformedInputException(id + " could not be released after reading: " + e.getMessage(), e);
    }
  }
}
