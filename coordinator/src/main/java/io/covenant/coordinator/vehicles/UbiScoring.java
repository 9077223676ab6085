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
 * worker over the decrypted telemetry of the covered vehicles only, and returns one row per vehicle (by pseudonym):
 * its trips, kilometres, harsh braking per 100 km, share of kilometres driven at night (22:00-05:00), share of driving
 * time above the speed limit, and a risk score from 0 (lowest risk) to 100:
 *
 * <pre>
 *   score = min(40, 8 × harsh brakes per 100 km) + min(20, 0.5 × night %) + min(25, 2.5 × speeding %) + min(15, km / 100)
 * </pre>
 *
 * Every vehicle's group must hold at least {@link #MIN_TRIPS} trips (the policy's minimum cohort), or the enclave
 * suppresses it.
 */
public final class UbiScoring {
  /** The fewest trips a vehicle's score may rest on. */
  public static final int MIN_TRIPS = 5;

  public static final String SQL = """
      SELECT vehicle,
             COUNT(*) AS trips,
             ROUND(SUM(distance_m) / 1000.0, 1) AS km,
             ROUND(SUM(harsh_brakes) * 100000.0 / SUM(distance_m), 2) AS harsh_per_100km,
             ROUND(100.0 * SUM(CASE WHEN start_hour >= 22 OR start_hour < 5 THEN distance_m ELSE 0 END) / SUM(distance_m), 1) AS night_pct,
             ROUND(100.0 * SUM(speeding_s) / SUM(end_time - start_time), 1) AS speeding_pct,
             ROUND(LEAST(40, 8 * SUM(harsh_brakes) * 100000.0 / SUM(distance_m))
                 + LEAST(20, 0.5 * 100.0 * SUM(CASE WHEN start_hour >= 22 OR start_hour < 5 THEN distance_m ELSE 0 END) / SUM(distance_m))
                 + LEAST(25, 2.5 * 100.0 * SUM(speeding_s) / SUM(end_time - start_time))
                 + LEAST(15, SUM(distance_m) / 100000.0), 1) AS risk_score
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
            "start_hour", "aggregate",
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

  /** Vehicles per band in a UBI result table, with their mean score. */
  public static Map<Band, double[]> bands(ResultTable result) {
    int score = result.columns().indexOf("risk_score");
    Map<Band, double[]> out = new TreeMap<>();
    for (Band b : Band.values()) out.put(b, new double[2]);
    for (List<Object> row : result.rows()) {
      double s = ((Number) row.get(score)).doubleValue();
      double[] acc = out.get(Band.of(s));
      acc[0]++;
      acc[1] += s;
    }
    return out;
  }
}
