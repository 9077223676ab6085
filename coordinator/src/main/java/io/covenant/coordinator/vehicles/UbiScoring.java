package io.covenant.coordinator.vehicles;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.id.DatasetId;
import io.covenant.tee.compute.ResultTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The insurer's usage-based-insurance computation and the licence policy it runs under. The query runs in the TEE
 * worker over the decrypted telemetry of the covered vehicles only and returns, per vehicle (by pseudonym), its number
 * of trips and its risk score, computed inside the enclave from the trips' distances, night driving (trips starting
 * 22:00-05:00 UTC), harsh-braking events, seconds above the speed limit and seconds driving:
 *
 * <pre>
 *   score = min(40, 8 × harsh brakes per 100 km) + min(20, 0.5 × night %) + min(25, 2.5 × speeding %) + min(15, km / 100)
 * </pre>
 *
 * Only the score leaves, not the sums it is made of. Each ratio divides by {@code NULLIF(total, 0)}, which the policy
 * analyser admits because it cannot fail on any vehicle (a vehicle without distance gets no ratio, counted as 0).
 * Every vehicle's group must hold at least {@link #MIN_TRIPS} trips (the policy's minimum cohort), or the enclave
 * suppresses it.
 */
public final class UbiScoring {
  /** The fewest trips a vehicle's score may rest on. */
  public static final int MIN_TRIPS = 5;

  public static final String SQL = """
      SELECT vehicle,
             COUNT(*) AS trips,
             ROUND(LEAST(40, 8 * COALESCE(100000.0 * SUM(harsh_brakes) / NULLIF(SUM(distance_m), 0), 0))
                 + LEAST(20, 0.5 * COALESCE(100.0 * SUM(CASE WHEN start_hour >= 22 OR start_hour < 5 THEN distance_m ELSE 0 END)
                                                   / NULLIF(SUM(distance_m), 0), 0))
                 + LEAST(25, 2.5 * COALESCE(100.0 * SUM(speeding_s) / NULLIF(SUM(end_time - start_time), 0), 0))
                 + LEAST(15, SUM(distance_m) / 100000.0), 2) AS score
      FROM telemetry
      GROUP BY vehicle
      """;

  private UbiScoring() {}

  /** The licence policy: this consumer, this purpose, TEE only, per-vehicle statistics exactly, the withdrawn left out. */
  static String policy(DatasetId dataset, LicenceTerms terms, List<String> withdrawnDigests) {
    return Json.obj(
        "covenantPolicy", 1,
        "id", terms.id(),
        "dataset", dataset.toString(),
        "assignees", List.of(terms.consumer().value()),
        "purposes", List.of(terms.purpose().value()),
        "engines", List.of("tee"),
        "tee", Json.obj(
            // The embedded deployment's worker is simulated; a production licence keeps allowSimulated false.
            "allowSimulated", LocalDeployment.workerIsSimulated(),
            "measurements", List.of(LocalDeployment.workerMeasurement().hex())),
        "minCohort", MIN_TRIPS,
        "columns", Json.obj(
            "vehicle", "dimension",
            "start_hour", "filter",
            "start_time", "aggregate",
            "end_time", "aggregate",
            "distance_m", "aggregate",
            "harsh_brakes", "aggregate",
            "speeding_s", "aggregate"),
        "defaultColumnRule", "never",
        // Owners consented to this insurer scoring their own vehicle: its statistics leave exactly, to this consumer only.
        "privacy", Json.obj("exact", true),
        "consent", Json.obj("subjectColumn", "vehicle", "excludedSubjects", withdrawnDigests),
        "approval", Json.obj("required", false))
        .encode();
  }

  /**
   * The licence policy of the HE route: this consumer, this purpose, the he engine only, the four source columns of
   * {@link UbiFeatures} inside the encrypted model only (one score per vehicle, per-vehicle sums of those columns), at
   * most {@code maxRows} vehicles scored without added noise (owners consented to this insurer pricing their own
   * vehicle), a vehicle's score resting on at least {@link #MIN_TRIPS} trips, the withdrawn left out on the maker's side.
   */
  static String hePolicy(DatasetId dataset, LicenceTerms terms, List<String> withdrawnDigests, long maxRows) {
    return Json.obj(
        "covenantPolicy", 1,
        "id", terms.id() + "-he",
        "dataset", dataset.toString(),
        "assignees", List.of(terms.consumer().value()),
        "purposes", List.of(terms.purpose().value()),
        "engines", List.of("he"),
        "minCohort", MIN_TRIPS,
        "columns", Json.obj(
            "vehicle", "dimension",
            "start_hour", "aggregate",
            "start_time", "aggregate",
            "end_time", "aggregate",
            "distance_m", "aggregate",
            "harsh_brakes", "aggregate",
            "speeding_s", "aggregate"),
        "defaultColumnRule", "never",
        "he", Json.obj("maxRows", Math.max(1, maxRows), "scoreNoise", 0),
        "consent", Json.obj("subjectColumn", "vehicle", "excludedSubjects", withdrawnDigests),
        "approval", Json.obj("required", false))
        .encode();
  }

  /** A risk band and its score range. */
  public enum Band {
    LOW(0, 15), MODERATE(15, 30), ELEVATED(30, 45), HIGH(45, 101);

    final double from, until;

    Band(double from, double until) {
      this.from = from;
      this.until = until;
    }

    public static Band of(double score) {
      for (Band b : values()) if (score >= b.from && score < b.until) return b;
      return HIGH;
    }

    public String range() {
      return (int) from + "-" + (this == HIGH ? 100 : (int) until);
    }
  }

  /** The risk score of one result row, as the enclave computed it (see the class comment), 0 to 100. */
  public static double score(ResultTable result, List<Object> row) {
    return number(result, row, "score");
  }

  private static double number(ResultTable result, List<Object> row, String column) {
    return ((Number) row.get(result.columns().indexOf(column))).doubleValue();
  }

  /** Vehicles per band in a UBI result table, with their mean score. */
  public static Map<Band, double[]> bands(ResultTable result) {
    Map<Band, double[]> out = new TreeMap<>();
    for (Band b : Band.values()) out.put(b, new double[2]);
    for (List<Object> row : result.rows()) {
      double s = score(result, row);
      double[] acc = out.get(Band.of(s));
      acc[0]++;
      acc[1] += s;
    }
    return out;
  }
}
