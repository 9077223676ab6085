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

/** Three hospitals with small synthetic datasets and the demo's policies, on a fresh data directory. */
final class SmallFederation implements AutoCloseable {
  final LocalDeployment deployment;
  final List<DatasetVersion> versions = new ArrayList<>();

  SmallFederation(Path dir, int rowsPerHospital) {
    deployment = LocalDeployment.open(dir);
    for (var h : HospitalInsurerDemo.HOSPITALS) deployment.createOrganisation(h.org(), h.name(), Set.of(OrgRole.OWNER));
    deployment.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", Set.of(OrgRole.CONSUMER));
    try (RootAllocator allocator = new RootAllocator()) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), rowsPerHospital, h.costLevel(), 1024)) {
          DatasetRecord r = deployment.owner(h.org()).publish("claims", SyntheticClaims.SCHEMA, batches);
          versions.add(r.version());
        }
        deployment.owner(h.org()).publishPolicy(HospitalInsurerDemo.policyFor(h.org()));
      }
    }
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
