package io.covenant.coordinator.vehicles;

import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.error.CovenantException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The four per-vehicle features an insurer's usage-based pricing model weighs, summed from a vehicle's trips on the
 * maker's side (the definitions of {@link UbiScoring}'s SQL, without its caps):
 *
 * <ol>
 *   <li>harsh-braking events per 100 km;
 *   <li>night driving: the share (%) of the distance driven on trips starting 22:00-05:00 UTC;
 *   <li>speeding: the share (%) of driving seconds above the speed limit;
 *   <li>mileage, in hundreds of km (so that every feature is of order 1-100, the size CKKS keeps precise).
 * </ol>
 *
 * A vehicle without distance (or without driving time) gets 0 for the ratio that would divide by it. Rows of vehicles
 * whose subject digest is in {@code excluded} (the licence policy's withdrawn vehicles) are dropped before they are
 * summed: consent is applied here, at run time, on the maker's side.
 */
public final class UbiFeatures {
  /** Names of the four features, in the model's weight order. */
  public static final java.util.List<String> NAMES = java.util.List.of("harsh brakes per 100 km", "night driving %", "speeding %", "distance (100 km)");
  /** The telemetry columns the features are made of, in the same order (what an he-score job names and the policy admits). */
  public static final java.util.List<String> SOURCE_COLUMNS = java.util.List.of("harsh_brakes", "start_hour", "speeding_s", "distance_m");

  private final Set<String> excluded;
  private final SubjectKey subjects;
  private final Map<String, long[]> sums = new TreeMap<>();

  /**
   * @param excluded the subject digests of vehicles to leave out (empty for none)
   * @param subjects the telemetry dataset's subject key, to digest each row's pseudonym (may be null when nothing is excluded)
   */
  public UbiFeatures(Set<String> excluded, SubjectKey subjects) {
    if (!excluded.isEmpty() && subjects == null) throw new CovenantException("excluding vehicles needs the dataset's subject key");
    this.excluded = Set.copyOf(excluded);
    this.subjects = subjects;
  }

  /** Adds one Arrow batch of the telemetry dataset (its schema is {@code TelemetryIngest.SCHEMA}). */
  public void add(VectorSchemaRoot batch) {
    VarCharVector vehicle = (VarCharVector) column(batch, "vehicle");
    BigIntVector harsh = (BigIntVector) column(batch, "harsh_brakes");
    BigIntVector hour = (BigIntVector) column(batch, "start_hour");
    BigIntVector speeding = (BigIntVector) column(batch, "speeding_s");
    BigIntVector distance = (BigIntVector) column(batch, "distance_m");
    BigIntVector start = (BigIntVector) column(batch, "start_time");
    BigIntVector end = (BigIntVector) column(batch, "end_time");
    for (int i = 0; i < batch.getRowCount(); i++) {
      if (vehicle.isNull(i)) continue;
      String v = new String(vehicle.get(i), StandardCharsets.UTF_8);
      if (!excluded.isEmpty() && excluded.contains(subjects.digest(v))) continue;
      long[] s = sums.computeIfAbsent(v, k -> new long[6]);
      long d = distance.get(i);
      long h = hour.get(i);
      s[0]++;
      s[1] += d;
      s[2] += harsh.get(i);
      s[3] += h >= 22 || h < 5 ? d : 0;
      s[4] += speeding.get(i);
      s[5] += end.get(i) - start.get(i);
    }
  }

  private static FieldVector column(VectorSchemaRoot batch, String name) {
    FieldVector v = batch.getVector(name);
    if (v == null) throw new CovenantException("the telemetry batch has no column '" + name + "'; is this the maker's telemetry dataset?");
    return v;
  }

  /** One vehicle's features and the trips they rest on. */
  public record Vehicle(String pseudonym, long trips, double[] features) {
    @Override
    public double[] features() {
      return features.clone();
    }
  }

  /** The vehicles with at least {@code minTrips} trips, by pseudonym in ascending order (the order rows are scored in). */
  public java.util.List<Vehicle> vehicles(int minTrips) {
    java.util.List<Vehicle> out = new java.util.ArrayList<>();
    sums.forEach((v, s) -> {
      if (s[0] >= minTrips) out.add(new Vehicle(v, s[0], features(s)));
    });
    return out;
  }

  static double[] features(long[] s) {
    double distance = s[1];
    return new double[] {
      distance > 0 ? 100_000.0 * s[2] / distance : 0,
      distance > 0 ? 100.0 * s[3] / distance : 0,
      s[5] > 0 ? 100.0 * s[4] / s[5] : 0,
      distance / 100_000.0};
  }
}
