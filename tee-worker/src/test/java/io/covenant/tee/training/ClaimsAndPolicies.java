package io.covenant.tee.training;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.Computation;
import io.covenant.core.job.JobRequest;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.tee.compute.InputDataset;
import io.covenant.tee.compute.TeeJob;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A hospital's claims and an insurer's policies on the same (pseudonymous) patient ids, for training on a join: the
 * label is whether the policy lapsed, which depends on age, sex and the claim's cost through a logistic link.
 */
final class ClaimsAndPolicies implements AutoCloseable {
  static final DatasetSchema POLICIES = new DatasetSchema(List.of(
      new Column("patient_id", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("premium", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("lapsed", ColumnType.INT64, Sensitivity.SENSITIVE)));

  static final String FEATURE_SQL = """
      SELECT c.age AS age, CASE WHEN c.sex = 'F' THEN 1 ELSE 0 END AS female, c.cost AS cost, p.premium AS premium,
             p.lapsed AS lapsed
      FROM claims c JOIN policies p ON c.patient_id = p.patient_id
      ORDER BY c.patient_id""";

  final Consortium consortium;
  final DatasetVersion claims = DatasetVersion.parse("hospital-a/claims@1");
  final DatasetVersion policies = DatasetVersion.parse("insurer/policies@1");
  final List<Object[]> claimRows;
  final List<Object[]> policyRows = new ArrayList<>();

  ClaimsAndPolicies(Path dir, int patients, int minCohort) {
    consortium = new Consortium(dir);
    claimRows = Claims.rows("a", patients, 7);
    Random r = new Random(11);
    for (Object[] c : claimRows) {
      if (r.nextInt(10) == 0) continue; // one patient in ten has no policy with this insurer: the join drops them
      long age = (Long) c[1];
      double cost = c[4] == null ? 0 : (Double) c[4];
      double z = -2 + 0.04 * (age - 55) + 0.0002 * cost + ("F".equals(c[2]) ? 0.5 : 0);
      long lapsed = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      double premium = Math.round((300 + age * 12 + r.nextDouble() * 200) * 100) / 100.0;
      policyRows.add(new Object[] {c[0], premium, lapsed});
    }
    var hospital = consortium.owner("hospital-a");
    var insurer = consortium.owner("insurer");
    consortium.publish(hospital, claims, Claims.SCHEMA, claimRows);
    consortium.publish(insurer, policies, POLICIES, policyRows);
    consortium.publishTrainingPolicy(hospital, claims.dataset(), minCohort, List.of("age", "sex", "cost"), minCohort);
    consortium.publishTrainingPolicy(insurer, policies.dataset(), minCohort, List.of("premium", "lapsed"), minCohort);
  }

  static Computation.ModelTraining spec() {
    return new Computation.ModelTraining(FEATURE_SQL, "lapsed", Computation.ModelTraining.BINARY_LOGISTIC, 20, 4, new java.math.BigDecimal("0.3"));
  }

  TeeJob authorisedJob(Computation computation) {
    JobRequest request = consortium.submit(computation, List.of(claims, policies));
    consortium.authorize(request);
    List<InputDataset> inputs = new ArrayList<>();
    for (DatasetVersion v : request.datasets()) {
      Consortium.Owner owner = consortium.owners.get(v.owner());
      inputs.add(new InputDataset(v, consortium.manifestOf(v), owner.credentials.signingKey().verifyingKey(), consortium.keyService(owner),
          owner.policies.get(v.dataset())));
    }
    return new TeeJob(request, inputs, consortium.consumerKeys().publicKey(), consortium.authorisationOf(request));
  }

  /** The join the feature query describes, computed in plain Java over the plaintext rows, in patient-id order. */
  FeatureTable plainJoin() {
    Map<String, Object[]> byPatient = new HashMap<>();
    for (Object[] p : policyRows) byPatient.put((String) p[0], p);
    List<Object[]> joined = new ArrayList<>();
    for (Object[] c : claimRows) {
      Object[] p = byPatient.get((String) c[0]);
      if (p != null) joined.add(new Object[] {c[0], c, p});
    }
    joined.sort(Comparator.comparing(j -> (String) j[0]));
    double[][] x = new double[joined.size()][];
    double[] y = new double[joined.size()];
    for (int i = 0; i < joined.size(); i++) {
      Object[] c = (Object[]) joined.get(i)[1];
      Object[] p = (Object[]) joined.get(i)[2];
      x[i] = new double[] {(Long) c[1], "F".equals(c[2]) ? 1 : 0, c[4] == null ? Double.NaN : (Double) c[4], (Double) p[1]};
      y[i] = (Long) p[2];
    }
    return FeatureTable.of(List.of("age", "female", "cost", "premium"), "lapsed", x, y);
  }

  @Override
  public void close() {
    consortium.close();
  }
}
