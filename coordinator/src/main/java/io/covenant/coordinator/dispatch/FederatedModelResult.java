package io.covenant.coordinator.dispatch;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.fl.DeclinedHospital;
import io.covenant.mpc.fl.FlJobResult;
import io.covenant.mpc.fl.FlRoundRecord;
import io.covenant.mpc.fl.ModelDigest;
import io.covenant.mpc.fl.secagg.DroppedHospital;
import io.covenant.tee.compute.ResultTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a federated job as the consumer receives it, sealed to it like any result table (columns section,
 * name, value; every value text): the final model's parameters as exact decimal doubles (their SHA-256, as
 * {@link ModelDigest#ofModel}, is the model hash RESULT_COMMITTED records), one row per round (participants, dropped,
 * declined, epsilon, the starting model's pooled loss and AUC when collected), each round's global model when the
 * model is small, and why any hospital stopped or the job ended early.
 */
public final class FederatedModelResult {
  private FederatedModelResult() {}

  public static final List<String> COLUMNS = List.of("section", "name", "value");
  /** Intermediate global models are included while rounds x parameters stays below this. */
  static final int MAX_ROUND_MODEL_VALUES = 200_000;

  /** What a consumer reads from the opened table. */
  public record Opened(double[] parameters, Digest modelHash, List<double[]> roundModels, List<List<String>> rounds, Map<String, String> stopped) {}

  static ResultTable table(Computation.FederatedTraining f, FlJobResult result, List<double[]> roundModels, Map<OrgId, String> hospitalOutcomes) {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("model", "kind", f.model() + (f.hiddenUnits() > 0 ? " (" + f.hiddenUnits() + " hidden units)" : "")));
    rows.add(List.of("model", "algorithm", result.spec().algorithm() + (result.spec().differentiallyPrivate() ? ", DP-FedAvg" : "") + ", secure aggregation"));
    rows.add(List.of("model", "features", String.join(",", f.features())));
    rows.add(List.of("model", "label", f.label()));
    rows.add(List.of("model", "hash", result.finalModelHash().hex()));
    double[] p = result.finalModel();
    for (int i = 0; i < p.length; i++) rows.add(List.of("parameter", parameterName(f, i, p.length), Double.toString(p[i])));
    boolean withModels = roundModels.size() == result.rounds().size() && (long) result.rounds().size() * p.length <= MAX_ROUND_MODEL_VALUES;
    for (FlRoundRecord r : result.rounds()) {
      rows.add(List.of("round", Integer.toString(r.round()), String.format(Locale.ROOT, "participants=%s dropped=%s declined=%s epsilon=%s loss=%s auc=%s",
          names(r.participants()), names(r.dropped().stream().map(DroppedHospital::hospital).toList()),
          names(r.declined().stream().map(DeclinedHospital::hospital).toList()), Double.toString(r.epsilon()), Double.toString(r.startingModelLoss()),
          Double.toString(r.startingModelAuc()))));
      for (DroppedHospital d : r.dropped()) rows.add(List.of("dropped", d.hospital().value(), "round " + r.round() + ", " + d.step() + ": " + d.why()));
      for (DeclinedHospital d : r.declined()) rows.add(List.of("declined", d.hospital().value(), d.reason()));
    }
    if (withModels) {
      // The global model after each round: what every hospital received anyway; the consumer can evaluate the training's course.
      for (int k = 0; k < result.rounds().size(); k++) {
        rows.add(List.of("round-model", Integer.toString(result.rounds().get(k).round()), join(roundModels.get(k))));
      }
    }
    result.stoppedEarly().ifPresent(why -> rows.add(List.of("stopped", "job", why)));
    hospitalOutcomes.forEach((h, o) -> rows.add(List.of("hospital", h.value(), o)));
    return new ResultTable(COLUMNS, rows);
  }

  /** Reads an opened result table and checks the parameters hash to {@code committedModelHash} under the ledger's {@code suite}. */
  public static Opened read(io.covenant.core.crypto.CryptoSuite suite, ResultTable table, Digest committedModelHash) {
    if (!table.columns().equals(COLUMNS)) throw new IntegrityException("the result is not a federated model (its columns are " + table.columns() + ")");
    List<Double> params = new ArrayList<>();
    List<double[]> models = new ArrayList<>();
    List<List<String>> rounds = new ArrayList<>();
    Map<String, String> stopped = new LinkedHashMap<>();
    for (List<Object> r : table.rows()) {
      String section = (String) r.get(0), name = (String) r.get(1), value = (String) r.get(2);
      switch (section) {
        case "parameter" -> params.add(Double.parseDouble(value));
        case "round-model" -> models.add(split(value));
        case "round" -> rounds.add(List.of(name, value));
        case "declined", "dropped", "stopped" -> stopped.merge(section + " " + name, value, (a, b) -> a + "; " + b);
        default -> { }
      }
    }
    double[] p = params.stream().mapToDouble(Double::doubleValue).toArray();
    Digest hash = ModelDigest.ofModel(suite, p);
    if (!hash.equals(committedModelHash)) {
      throw new IntegrityException("the federated model's parameters hash to " + hash.shortForm() + ", not the " + committedModelHash.shortForm()
          + " the ledger recorded; do not use it");
    }
    return new Opened(p, hash, models, rounds, stopped);
  }

  private static String parameterName(Computation.FederatedTraining f, int i, int count) {
    if (Computation.FederatedTraining.LOGISTIC_REGRESSION.equals(f.model())) return i < f.features().size() ? f.features().get(i) : "(bias)";
    return "theta[" + i + "]";
  }

  private static String names(List<OrgId> orgs) {
    return orgs.stream().map(OrgId::value).toList().toString().replace(" ", "");
  }

  private static String join(double[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ",").append(v[i]);
    return s.toString();
  }

  private static double[] split(String s) {
    String[] parts = s.split(",");
    double[] v = new double[parts.length];
    for (int i = 0; i < parts.length; i++) v[i] = Double.parseDouble(parts[i]);
    return v;
  }
}
