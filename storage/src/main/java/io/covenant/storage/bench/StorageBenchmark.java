package io.covenant.storage.bench;

import io.covenant.core.crypto.Aes256Gcm;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.cipher.ShardCipher;
import io.covenant.storage.dataset.ArrowSchemas;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.PublishedDataset;
import io.covenant.storage.dataset.ShardRef;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Publish and read-back throughput of a synthetic dataset against the physical ceiling measured in the same JVM:
 * AES-256-GCM (1 MiB messages fed in 64 KiB {@code update()} pieces, as shards are sealed) plus SHA-256 (the CID)
 * over the same number of bytes on one thread. A ratio of 1.0 means the pipeline costs no more than the crypto it
 * cannot avoid; above 1.0 it uses more than one core.
 *
 * <p>The dataset is generated while it is published: one Arrow batch of random rows is filled once and handed to
 * the publisher again and again with a fresh {@code id} column, so the generator costs almost nothing and the
 * whole dataset is never in memory. Every shard still gets its own ciphertext (the nonce and AAD differ per index),
 * so nothing deduplicates in the block store.
 */
public final class StorageBenchmark {
  /** What one run measured. Throughputs are in MB/s (10^6 bytes) of Arrow IPC plaintext. */
  public record Result(
      long plaintextBytes,
      long rows,
      int shards,
      double publishMBps,
      double readMBps,
      double baselineMBps,
      long peakHeapBytes,
      long peakArrowBytes,
      long maxHeapBytes,
      CryptoSuite suite) {
    public double publishRatio() {
      return publishMBps / baselineMBps;
    }

    public double readRatio() {
      return readMBps / baselineMBps;
    }

    /** The table the CLI prints and docs/benchmarks.md records. */
    public String table() {
      return String.format(Locale.ROOT,
          """
          dataset          %,d bytes of Arrow IPC in %,d shards (%,d rows)
          publish          %8.1f MB/s   ratio %.2f
          read back        %8.1f MB/s   ratio %.2f
          baseline         %8.1f MB/s   (%s, one thread, same bytes)
          peak heap used   %8.1f MiB    (max heap %.0f MiB)
          peak Arrow       %8.1f MiB    (off-heap buffers)
          """,
          plaintextBytes, shards, rows, publishMBps, publishRatio(), readMBps, readRatio(), baselineMBps,
          suite.isNational() ? "SM4-GCM shard sealing + SM3 CID" : "AES-256-GCM + SHA-256",
          peakHeapBytes / 1048576.0, maxHeapBytes / 1048576.0, peakArrowBytes / 1048576.0);
    }
  }

  private static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("id", ColumnType.INT64, Sensitivity.IDENTIFIER),
      new Column("amount", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("day", ColumnType.DATE, Sensitivity.QUASI_IDENTIFIER),
      new Column("label", ColumnType.STRING, Sensitivity.SENSITIVE),
      new Column("code", ColumnType.INT64, Sensitivity.PUBLIC)));
  private static final int BATCH_ROWS = 65_536;
  private static final int SHARD_BYTES = DatasetPublisher.MAX_SEALED_SHARD_BYTES;
  private static final int PIECE = 64 * 1024;

  private StorageBenchmark() {}

  /**
   * Generates about {@code totalBytes} of Arrow data, publishes it to a {@link LocalBlockstore} under
   * {@code workDir}, reads it back, and measures the baseline; progress lines (about every 10%) go to
   * {@code progress}. A warm-up run on a smaller dataset comes first. The blocks are deleted afterwards.
   */
  public static Result run(long totalBytes, Path workDir, PrintStream progress) {
    return run(totalBytes, workDir, progress, CryptoSuite.INTL);
  }

  /**
   * As {@link #run(long, Path, PrintStream)} under {@code suite}: the owner's key is of that suite, so shards are sealed
   * with its AEAD and addressed by its hash. The baseline is the suite's own ceiling: JDK AES-256-GCM + SHA-256 on one
   * thread for the international suite, {@link #sealingMBps} (SM4-GCM + SM3) for the national one.
   */
  public static Result run(long totalBytes, Path workDir, PrintStream progress, CryptoSuite suite) {
    if (totalBytes < SHARD_BYTES) throw new MalformedInputException("a storage benchmark needs at least 1 MiB of data, got " + totalBytes + " bytes");
    if (workDir == null || progress == null) throw new MalformedInputException("a storage benchmark needs a work directory and a progress stream");
    long warmUp = Math.min(totalBytes / 4, 128L << 20);
    progress.printf(Locale.ROOT, "warming up on %d MiB...%n", Math.max(1, warmUp >> 20));
    measure(Math.max(warmUp, SHARD_BYTES), workDir.resolve("warm-up"), progress, false, suite);
    progress.printf(Locale.ROOT, "measuring %d MiB (%s suite)...%n", totalBytes >> 20, suite.id());
    return measure(totalBytes, workDir.resolve("run"), progress, true, suite);
  }

  /**
   * Shard sealing alone on one thread, MB/s of plaintext: {@link ShardCipher#seal} of 1 MiB shards under a fresh key per
   * dataset version, plus the CID hash of each sealed shard, under {@code suite}; one warm-up pass over the same bytes
   * first. This is what publishing costs per core, without Arrow, disk or threads.
   */
  public static double sealingMBps(CryptoSuite suite, long bytes) {
    byte[] plain = new byte[SHARD_BYTES - ShardCipher.OVERHEAD];
    new SplittableRandom(11).nextBytes(plain);
    int shards = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / plain.length));
    double result = 0;
    for (int pass = 0; pass < 2; pass++) {
      ShardCipher cipher = new ShardCipher(DataKey.generate(), suite);
      DatasetVersion version = DatasetVersion.parse("bench/sealing@" + (pass + 1));
      byte sink = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < shards; i++) {
        byte[] sealed = cipher.seal(new io.covenant.storage.cipher.ShardId(version, i), plain);
        sink ^= io.covenant.core.cid.Cid.of(suite, io.covenant.core.cid.Cid.RAW, sealed).toBytes()[4];
      }
      result = mbps((long) shards * plain.length, System.nanoTime() - t0 + (sink & 0));
    }
    return result;
  }

  private static Result measure(long totalBytes, Path dir, PrintStream progress, boolean report, CryptoSuite suite) {
    HeapWatch heap = new HeapWatch();
    try (BufferAllocator allocator = new RootAllocator()) {
      LocalBlockstore store = new LocalBlockstore(dir);
      DatasetVersion version = DatasetVersion.parse("bench/synthetic@1");
      DataKey key = DataKey.generate();
      PublishedDataset published;
      long publishNanos;
      heap.start();
      try (SyntheticBatches batches = new SyntheticBatches(allocator, totalBytes, report ? percent(progress, "publish", totalBytes) : b -> {})) {
        long t0 = System.nanoTime();
        published = new DatasetPublisher(store).publish(version, SCHEMA, batches, key, suite.generateSigningKey());
        publishNanos = System.nanoTime() - t0;
      }
      List<ShardRef> shards = published.manifest().manifest().shards();
      long sum = 0;
      for (ShardRef s : shards) sum += s.sealedBytes() - ShardCipher.OVERHEAD;
      long plaintext = sum;
      long expectedRows = published.manifest().manifest().rows();
      AtomicLong rows = new AtomicLong();
      LongConsumer readProgress = report ? percent(progress, "read", plaintext) : b -> {};
      long t1 = System.nanoTime();
      new DatasetReader(store).forEachBatch(published.manifest(), key, allocator, root -> {
        rows.addAndGet(root.getRowCount());
        readProgress.accept((long) ((double) rows.get() / expectedRows * plaintext));
      });
      long readNanos = System.nanoTime() - t1;
      heap.stop();
      if (rows.get() != expectedRows) {
        throw new CovenantException("benchmark read back " + rows.get() + " rows of " + expectedRows + ": the pipeline lost data");
      }
      long peakArrow = allocator.getPeakMemoryAllocation();
      double baseline = suite.isNational() ? sealingMBps(suite, plaintext) : baselineMBps(plaintext);
      deleteTree(dir);
      return new Result(plaintext, expectedRows, shards.size(), mbps(plaintext, publishNanos), mbps(plaintext, readNanos), baseline,
          heap.peak(), peakArrow, Runtime.getRuntime().maxMemory(), suite);
    } finally {
      heap.stop();
    }
  }

  /** AES-256-GCM + SHA-256 on one thread over {@code bytes} bytes in shard-sized messages: the ceiling per core. */
  static double baselineMBps(long bytes) {
    byte[] plain = new byte[SHARD_BYTES - 17];
    new SplittableRandom(7).nextBytes(plain);
    byte[] out = new byte[SHARD_BYTES];
    DataKey key = DataKey.generate();
    MessageDigest sha = CryptoSuite.INTL.newHash();
    long messages = Math.max(1, bytes / plain.length);
    try {
      Cipher c = Aes256Gcm.newCipher();
      byte[] sink = new byte[32];
      for (int warm = 0; warm < 2; warm++) {
        long t0 = System.nanoTime();
        for (long m = 0; m < messages; m++) {
          byte[] nonce = new byte[12];
          nonce[4] = (byte) warm;
          nonce[8] = (byte) (m >>> 24);
          nonce[9] = (byte) (m >>> 16);
          nonce[10] = (byte) (m >>> 8);
          nonce[11] = (byte) m;
          c.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, nonce));
          int written = 0;
          for (int off = 0; off < plain.length; off += PIECE) written += c.update(plain, off, Math.min(PIECE, plain.length - off), out, written);
          written += c.doFinal(out, written);
          sha.update(out, 0, written);
          sink[(int) (m & 31)] ^= sha.digest()[0];
        }
        long nanos = System.nanoTime() - t0;
        if (warm == 1 && sink.length == 32) return mbps(messages * plain.length, nanos);
      }
      throw new IllegalStateException("unreachable");
    } catch (GeneralSecurityException e) {
      throw new CovenantException("the JDK's AES-GCM is unavailable for the baseline: " + e.getMessage(), e);
    }
  }

  private static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  /** Prints a line each time another ~10% of {@code total} bytes (or of the generator's target) has passed. */
  private static LongConsumer percent(PrintStream progress, String phase, long total) {
    long[] nextTenth = {1};
    return done -> {
      if (nextTenth[0] <= 10 && done * 10 >= nextTenth[0] * total) {
        progress.printf(Locale.ROOT, "  %s %3d%% (%d MiB)%n", phase, Math.min(100, done * 100 / total), done >> 20);
        while (done * 10 >= nextTenth[0] * total) nextTenth[0]++;
      }
    };
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new CovenantException("could not remove benchmark blocks under " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Samples heap use after every GC and every few milliseconds, keeping the maximum. */
  private static final class HeapWatch {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running;
    private Thread sampler;

    void start() {
      System.gc();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
      }
      peak.set(memory.getHeapMemoryUsage().getUsed());
      running = true;
      sampler = Thread.ofPlatform().daemon().name("heap-watch").start(() -> {
        while (running) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    void stop() {
      running = false;
      if (sampler != null) {
        try {
          sampler.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    long peak() {
      return peak.get();
    }
  }

  /** One batch of random rows, filled once, handed out repeatedly with a fresh id column until the target is reached. */
  private static final class SyntheticBatches implements Iterator<VectorSchemaRoot>, AutoCloseable {
    private final VectorSchemaRoot root;
    private final long target;
    private final long batchBytes;
    private final LongConsumer progress;
    private long produced;
    private long nextId;

    SyntheticBatches(BufferAllocator allocator, long target, LongConsumer progress) {
      this.root = VectorSchemaRoot.create(ArrowSchemas.toArrow(SCHEMA), allocator);
      this.target = target;
      this.progress = progress;
      SplittableRandom random = new SplittableRandom(42);
      BigIntVector id = (BigIntVector) root.getVector("id");
      Float8Vector amount = (Float8Vector) root.getVector("amount");
      DateDayVector day = (DateDayVector) root.getVector("day");
      VarCharVector label = (VarCharVector) root.getVector("label");
      BigIntVector code = (BigIntVector) root.getVector("code");
      root.allocateNew();
      byte[] text = new byte[40];
      for (int r = 0; r < BATCH_ROWS; r++) {
        id.setSafe(r, r);
        amount.setSafe(r, random.nextDouble() * 10_000);
        day.setSafe(r, 18_000 + random.nextInt(2_000));
        int len = 8 + random.nextInt(32);
        for (int i = 0; i < len; i++) text[i] = (byte) ('a' + random.nextInt(26));
        label.setSafe(r, text, 0, len);
        if (r % 10 == 3) code.setNull(r);
        else code.setSafe(r, random.nextInt(1_000));
      }
      root.setRowCount(BATCH_ROWS);
      long bytes = 0;
      for (var v : root.getFieldVectors()) bytes += v.getBufferSize();
      this.batchBytes = bytes;
    }

    @Override
    public boolean hasNext() {
      return produced < target;
    }

    @Override
    public VectorSchemaRoot next() {
      if (!hasNext()) throw new NoSuchElementException();
      BigIntVector id = (BigIntVector) root.getVector("id");
      for (int r = 0; r < BATCH_ROWS; r++) id.set(r, nextId++);
      produced += batchBytes;
      progress.accept(produced);
      return root;
    }

    @Override
    public void close() {
      root.close();
    }
  }

  /** Runs the benchmark from the command line: {@code StorageBenchmark <size, e.g. 1g or 64m> <work dir>}. */
  public static void main(String[] args) throws IOException {
    long size = args.length > 0 ? parseSize(args[0]) : 1L << 30;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("covenant-bench");
    System.out.print(run(size, dir, System.out).table());
  }

  /** {@code 1g}, {@code 512m}, {@code 64M}, or a plain number of bytes. */
  public static long parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("g") || t.endsWith("gb")) unit = 1L << 30;
    else if (t.endsWith("m") || t.endsWith("mb")) unit = 1L << 20;
    else if (t.endsWith("k") || t.endsWith("kb")) unit = 1L << 10;
    String digits = t.replaceAll("[a-z]+$", "");
    try {
      long n = Long.parseLong(digits);
      if (n <= 0) throw new NumberFormatException();
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new MalformedInputException("size '" + text + "' is not valid: use a positive number with an optional k, m or g suffix, e.g. 1g");
    }
  }
}
