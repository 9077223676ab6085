package io.covenant.coordinator;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;

/**
 * Three hospitals with small synthetic datasets and the demo's policies (with their privacy budget), or the demo's
 * policies opted out of the budget ({@code privacy.exact}) for tests that compare exact numbers, on a fresh data
 * directory.
 */
final class SmallFederation implements AutoCloseable {
  final LocalDeployment deployment;
  final List<DatasetVersion> versions = new ArrayList<>();
  private final int rowsPerHospital;

  SmallFederation(Path dir, int rowsPerHospital) {
    this(dir, rowsPerHospital, false);
  }

  /** With {@code exact}, each hospital publishes the demo policy with {@code privacy: {exact: true}} instead of its budget. */
  SmallFederation(Path dir, int rowsPerHospital, boolean exact) {
    this(dir, rowsPerHospital, exact, io.covenant.coordinator.deployment.DatabaseSpec.EMBEDDED);
  }

  /** With the coordinator's database in {@code database} (say, on a PostgreSQL server). */
  SmallFederation(Path dir, int rowsPerHospital, boolean exact, io.covenant.coordinator.deployment.DatabaseSpec database) {
    this.rowsPerHospital = rowsPerHospital;
    deployment = LocalDeployment.open(dir, io.covenant.coordinator.deployment.BlockstoreSpec.LOCAL,
        io.covenant.coordinator.deployment.LedgerSpec.EMBEDDED, database);
    for (var h : HospitalInsurerDemo.HOSPITALS) deployment.createOrganisation(h.org(), h.name(), Set.of(OrgRole.OWNER));
    deployment.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", Set.of(OrgRole.CONSUMER));
    try (RootAllocator allocator = new RootAllocator()) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), rowsPerHospital, h.costLevel(), 1024)) {
          DatasetRecord r = deployment.owner(h.org()).publish("claims", SyntheticClaims.SCHEMA, batches);
          versions.add(r.version());
        }
        deployment.owner(h.org()).publishPolicy(exact ? exactPolicy(h.org()) : HospitalInsurerDemo.policyFor(h.org()));
      }
    }
  }

  /** One synthetic claim as the hospitals hold it in plaintext: what an attacker is trying to learn. */
  record Claim(long age, String sex, String diagnosis, java.time.LocalDate admitted, double cost) {}

  /** Every claim of the three hospitals, regenerated from the demo's seeds (the test's ground truth, never the coordinator's). */
  List<Claim> plaintext() {
    List<Claim> out = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), rowsPerHospital, h.costLevel(), 1024)) {
          while (batches.hasNext()) {
            var b = batches.next();
            var age = (org.apache.arrow.vector.BigIntVector) b.getVector("age");
            var sex = (org.apache.arrow.vector.VarCharVector) b.getVector("sex");
            var diagnosis = (org.apache.arrow.vector.VarCharVector) b.getVector("diagnosis");
            var admitted = (org.apache.arrow.vector.DateDayVector) b.getVector("admission_date");
            var cost = (org.apache.arrow.vector.Float8Vector) b.getVector("claim_cost");
            for (int i = 0; i < b.getRowCount(); i++) {
              out.add(new Claim(age.get(i), new String(sex.get(i), java.nio.charset.StandardCharsets.UTF_8),
                  new String(diagnosis.get(i), java.nio.charset.StandardCharsets.UTF_8), java.time.LocalDate.ofEpochDay(admitted.get(i)), cost.get(i)));
            }
          }
        }
      }
    }
    return out;
  }

  /** The demo policy opted out of the privacy budget: exact statistics, knowingly. */
  static String exactPolicy(io.covenant.core.id.OrgId hospital, Object... moreChanges) {
    Object[] changes = new Object[moreChanges.length + 2];
    changes[0] = "privacy";
    changes[1] = io.covenant.core.codec.Json.obj("exact", true);
    System.arraycopy(moreChanges, 0, changes, 2, moreChanges.length);
    return PolicyVariants.demoPolicyWith(hospital, changes);
  }

  JobOutcome submit(String sql) {
    return deployment.consumer(HospitalInsurerDemo.INSURER)
        .submit(versions, Engine.TEE, new Purpose("risk-model"), new Computation.SqlQuery(sql));
  }

  @Override
  public void close() {
    deployment.close();
  }
}
