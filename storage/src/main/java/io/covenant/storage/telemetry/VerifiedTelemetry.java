package io.covenant.storage.telemetry;

import io.covenant.core.schema.Column;
import io.covenant.storage.dataset.ArrowSchemas;
import io.covenant.storage.importing.ImportedBatches;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An accepted telemetry batch, held column by column until it is published, with the ingest state to keep once it is
 * stored and the number of records per vehicle pseudonym (what a settlement later pays for).
 */
public final class VerifiedTelemetry {
  private final String[] vehicles;
  private final String[] cells;
  private final long[][] numbers; // one array per INT64 column, in schema order
  private final int rows;
  private final IngestState next;

  private VerifiedTelemetry(String[] vehicles, String[] cells, long[][] numbers, int rows, IngestState next) {
    this.vehicles = vehicles;
    this.cells = cells;
    this.numbers = numbers;
    this.rows = rows;
    this.next = next;
  }

  public int rows() {
    return rows;
  }

  /** The ingest state once this batch is stored. */
  public IngestState nextState() {
    return next;
  }

  /** Records per vehicle pseudonym, in pseudonym order. */
  public TreeMap<String, Long> recordsPerVehicle() {
    TreeMap<String, Long> m = new TreeMap<>();
    for (int i = 0; i < rows; i++) m.merge(vehicles[i], 1L, Long::sum);
    return m;
  }

  /** The rows as Arrow batches of at most {@code batchRows} rows, in {@link TelemetryIngest#SCHEMA}. */
  public ImportedBatches batches(BufferAllocator allocator, int batchRows) {
    return new Batches(allocator, batchRows);
  }

  private final class Batches implements ImportedBatches {
    private final VectorSchemaRoot root;
    private final int batchRows;
    private int done;

    Batches(BufferAllocator allocator, int batchRows) {
      this.root = VectorSchemaRoot.create(ArrowSchemas.toArrow(TelemetryIngest.SCHEMA), allocator);
      this.batchRows = batchRows;
    }

    public io.covenant.core.schema.DatasetSchema schema() {
      return TelemetryIngest.SCHEMA;
    }

    public boolean hasNext() {
      return done < rows;
    }

    public VectorSchemaRoot next() {
      if (!hasNext()) throw new NoSuchElementException();
      int n = Math.min(batchRows, rows - done);
      root.allocateNew();
      int numeric = 0;
      for (Column c : TelemetryIngest.SCHEMA.columns()) {
        var v = root.getVector(c.name());
        if (v instanceof VarCharVector s) {
          String[] values = c.name().equals("vehicle") ? vehicles : cells;
          for (int i = 0; i < n; i++) s.setSafe(i, values[done + i].getBytes(StandardCharsets.UTF_8));
        } else {
          BigIntVector b = (BigIntVector) v;
          long[] values = numbers[numeric++];
          for (int i = 0; i < n; i++) b.setSafe(i, values[done + i]);
        }
        v.setValueCount(n);
      }
      root.setRowCount(n);
      done += n;
      return root;
    }

    public void close() {
      root.close();
    }
  }

  /** Collects accepted rows. */
  static final class Builder {
    private static final int NUMERIC = 14;
    private String[] vehicles = new String[1024];
    private String[] cells = new String[1024];
    private long[][] numbers = new long[NUMERIC][1024];
    private int rows;

    void add(String vehicle, TelemetryRecord r) {
      if (rows == vehicles.length) {
        int n = rows * 2;
        vehicles = Arrays.copyOf(vehicles, n);
        cells = Arrays.copyOf(cells, n);
        for (int c = 0; c < NUMERIC; c++) numbers[c] = Arrays.copyOf(numbers[c], n);
      }
      vehicles[rows] = vehicle;
      cells[rows] = r.cell();
      long[] v = {r.trip(), r.sequence(), r.start(), r.end(), Math.floorMod(Math.floorDiv(r.start(), 3600), 24), r.distanceM(), r.maxSpeedDkmh(),
          r.meanSpeedDkmh(), r.maxAccelCms2(), r.maxDecelCms2(), r.harshBrakes(), r.speedingS(), r.odometerM(), r.batteryPermille()};
      for (int c = 0; c < NUMERIC; c++) numbers[c][rows] = v[c];
      rows++;
    }

    VerifiedTelemetry build(IngestState next) {
      return new VerifiedTelemetry(vehicles, cells, numbers, rows, next);
    }
  }

}
