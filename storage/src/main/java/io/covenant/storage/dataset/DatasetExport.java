package io.covenant.storage.dataset;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.storage.blockstore.Blockstore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Writes a dataset version back out for its owner, who holds the data key: as an Arrow IPC file, or as CSV. RFC 4180: a header row, CRLF
 * line ends, fields quoted when they hold a comma, quote or line break. A missing value is an empty field; an empty
 * string is {@code ""}, so {@link io.covenant.storage.importing.CsvImport} reads back exactly what was published.
 */
public final class DatasetExport {
  private final Blockstore store;

  public DatasetExport(Blockstore store) {
    if (store == null) throw new MalformedInputException("a dataset export needs a block store");
    this.store = store;
  }

  /**
   * Writes the whole dataset to {@code file}: to a temporary file first, moved into place only when every shard has
   * been read and authenticated, so a tampered shard never leaves a partial export behind. Returns the rows written.
   */
  public long toCsv(SignedManifest manifest, DataKey key, Path file) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
      long rows;
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        rows = toCsv(manifest, key, w);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      return rows;
    } catch (IOException e) {
      throw new CovenantException("could not export " + manifest.manifest().dataset() + " to " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the partial file is hidden and named .partial.
        }
      }
    }
  }

  /**
   * Writes the whole dataset to {@code file} as an Arrow IPC file (the random-access "Feather v2" format: schema,
   * one record batch per shard, footer), with the column sensitivities in the field metadata. Written to a temporary
   * file and moved into place only when every shard was read and authenticated. Returns the rows written.
   */
  public long toArrowFile(SignedManifest manifest, DataKey key, Path file) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    long[] rows = {0};
    try (BufferAllocator allocator = new RootAllocator()) {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          VectorSchemaRoot out = VectorSchemaRoot.create(ArrowSchemas.toArrow(manifest.manifest().schema()), allocator);
          ArrowFileWriter writer = new ArrowFileWriter(out, null, ch)) {
        writer.start();
        new DatasetReader(store).forEachBatch(manifest, key, allocator, root -> {
          // The reader's root is released after the callback, so its buffers are moved into the writer's root.
          new VectorUnloaderLoader(root, out).transfer();
          try {
            writer.writeBatch();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          rows[0] += root.getRowCount();
        });
        writer.end();
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      return rows[0];
    } catch (IOException | UncheckedIOException e) {
      throw new CovenantException("could not export " + manifest.manifest().dataset() + " to " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the partial file is hidden and named .partial.
        }
      }
    }
  }

  /** Moves one batch's buffers from the reader's root into the writer's root without copying. */
  private record VectorUnloaderLoader(VectorSchemaRoot from, VectorSchemaRoot to) {
    void transfer() {
      try (ArrowRecordBatch batch = new VectorUnloader(from).getRecordBatch()) {
        new VectorLoader(to).load(batch);
      }
    }
  }

  /** Writes the dataset as CSV to {@code out}; if a shard fails, what was written so far stays in {@code out}. */
  public long toCsv(SignedManifest manifest, DataKey key, Writer out) {
    List<Column> columns = manifest.manifest().schema().columns();
    long[] rows = {0};
    StringBuilder line = new StringBuilder(256);
    try (BufferAllocator allocator = new RootAllocator()) {
      for (int c = 0; c < columns.size(); c++) {
        if (c > 0) line.append(',');
        line.append(columns.get(c).name());
      }
      write(out, line.append("\r\n"));
      new DatasetReader(store).forEachBatch(manifest, key, allocator, root -> rows[0] += writeBatch(root, out, line));
      out.flush();
      return rows[0];
    } catch (IOException | UncheckedIOException e) {
      throw new CovenantException("could not write the CSV export of " + manifest.manifest().dataset() + ": " + e.getMessage(), e);
    }
  }

  private static int writeBatch(VectorSchemaRoot root, Writer out, StringBuilder line) {
    List<FieldVector> vectors = root.getFieldVectors();
    for (int r = 0; r < root.getRowCount(); r++) {
      line.setLength(0);
      for (int c = 0; c < vectors.size(); c++) {
        if (c > 0) line.append(',');
        FieldVector v = vectors.get(c);
        if (v.isNull(r)) continue;
        switch (v) {
          case BigIntVector b -> line.append(b.get(r));
          case Float8Vector f -> line.append(f.get(r));
          case DateDayVector d -> line.append(LocalDate.ofEpochDay(d.get(r)));
          case VarCharVector s -> quote(new String(s.get(r), StandardCharsets.UTF_8), line);
          default -> throw new MalformedInputException("column '" + v.getName() + "' has an Arrow type CSV export does not write: " + v.getField().getType());
        }
      }
      write(out, line.append("\r\n"));
    }
    return root.getRowCount();
  }

  private static void quote(String s, StringBuilder line) {
    boolean needs = s.isEmpty();
    for (int i = 0; i < s.length() && !needs; i++) {
      char ch = s.charAt(i);
      needs = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
    }
    if (!needs) {
      line.append(s);
      return;
    }
    line.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"') line.append('"');
      line.append(ch);
    }
    line.append('"');
  }

  private static void write(Writer out, CharSequence text) {
    try {
      out.append(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
