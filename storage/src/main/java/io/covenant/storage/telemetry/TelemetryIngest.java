package io.covenant.storage.telemetry;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.telemetry.TelemetryRefusedException.Reason;
import io.covenant.storage.telemetry.TelemetryRefusedException.Refusal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * The maker's streaming telemetry ingest. It reads signed records in chunks, verifies each chunk's Ed25519 signatures
 * in parallel against the certified device keys, then judges each record in order against what was accepted before
 * (replay: a sequence number already accepted, in this batch or, at or below the last one stored, in an earlier one;
 * out of order: a sequence number below one already accepted in this batch that was not itself accepted, or a trip
 * that starts before the device's last accepted trip ended). A unit never reuses a sequence number, so these are the
 * only ways a genuine record can reach the ingest twice or late. Accepted records become rows of the telemetry dataset, with the VIN replaced by
 * the vehicle's pseudonym (a keyed digest the caller supplies), ready for {@code DatasetPublisher}.
 *
 * <p>All or nothing: if any record is refused, {@link #verify} throws {@link TelemetryRefusedException} with every
 * refusal's reason, and the caller has nothing to store; the ingest state advances only with an accepted batch.
 */
public final class TelemetryIngest {
  /** The telemetry dataset's columns, as the ingest writes them. */
  public static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("vehicle", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("trip", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("seq", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("start_time", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("end_time", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("start_hour", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("distance_m", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("max_speed_dkmh", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("mean_speed_dkmh", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("max_accel_cms2", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("max_decel_cms2", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("harsh_brakes", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("speeding_s", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("odometer_m", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("battery_permille", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("cell", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER)));

  private static final int CHUNK = 4096;

  private final DeviceDirectory devices;
  private final IngestState state;
  private final Function<String, String> pseudonymOfVin;

  /** An ingest for {@code devices}, continuing from {@code state}, naming vehicles by {@code pseudonymOfVin}. */
  public TelemetryIngest(DeviceDirectory devices, IngestState state, Function<String, String> pseudonymOfVin) {
    this.devices = devices;
    this.state = state;
    this.pseudonymOfVin = pseudonymOfVin;
  }

  /**
   * Verifies every record of {@code records}, reporting the count judged so far to {@code progress} after each chunk.
   *
   * @throws TelemetryRefusedException if any record is forged, replayed or out of order (nothing is returned to store)
   */
  public VerifiedTelemetry verify(Iterator<SignedTelemetry> records, LongConsumer progress) {
    List<Refusal> refusals = new ArrayList<>();
    Map<String, IngestState.Last> accepted = new HashMap<>();
    Map<String, Accepted> acceptedSequences = new HashMap<>();
    Map<String, String> pseudonyms = new HashMap<>();
    VerifiedTelemetry.Builder rows = new VerifiedTelemetry.Builder();
    long position = 0;
    List<SignedTelemetry> chunk = new ArrayList<>(CHUNK);
    while (records.hasNext()) {
      chunk.clear();
      while (records.hasNext() && chunk.size() < CHUNK) chunk.add(records.next());
      DeviceDirectory.Device[] device = new DeviceDirectory.Device[chunk.size()];
      boolean[] valid = new boolean[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) device[i] = devices.device(chunk.get(i).record().device()).orElse(null);
      IntStream.range(0, chunk.size()).parallel().forEach(i -> {
        SignedTelemetry s = chunk.get(i);
        valid[i] = device[i] != null && device[i].key().verify(s.record().signedBytes(), s.signature());
      });
      for (int i = 0; i < chunk.size(); i++) {
        position++;
        TelemetryRecord r = chunk.get(i).record();
        Reason reason = null;
        if (device[i] == null) reason = Reason.UNKNOWN_DEVICE;
        else if (!valid[i]) reason = Reason.BAD_SIGNATURE;
        else {
          IngestState.Last stored = state.last(r.device()).orElse(null);
          IngestState.Last last = accepted.containsKey(r.device()) ? accepted.get(r.device()) : stored;
          Accepted inBatch = acceptedSequences.get(r.device());
          if (stored != null && r.sequence() <= stored.sequence() || inBatch != null && inBatch.contains(r.sequence())) reason = Reason.REPLAYED;
          else if (last != null && (r.sequence() < last.sequence() || r.start() < last.end())) reason = Reason.OUT_OF_ORDER;
        }
        if (reason != null) {
          refusals.add(new Refusal(position, r.device(), r.sequence(), reason));
          continue;
        }
        accepted.put(r.device(), new IngestState.Last(r.sequence(), r.end()));
        acceptedSequences.computeIfAbsent(r.device(), d -> new Accepted()).add(r.sequence());
        if (refusals.isEmpty()) rows.add(pseudonyms.computeIfAbsent(device[i].vin(), pseudonymOfVin), r);
      }
      progress.accept(position);
    }
    if (!refusals.isEmpty()) throw new TelemetryRefusedException(refusals, position);
    return rows.build(state.with(accepted));
  }

  /** The sequence numbers accepted from one device in this batch: strictly increasing, so binary-searchable. */
  private static final class Accepted {
    long[] sequences = new long[8];
    int size;

    void add(long sequence) {
      if (size == sequences.length) sequences = java.util.Arrays.copyOf(sequences, size * 2);
      sequences[size++] = sequence;
    }

    boolean contains(long sequence) {
      return java.util.Arrays.binarySearch(sequences, 0, size, sequence) >= 0;
    }
  }
}
