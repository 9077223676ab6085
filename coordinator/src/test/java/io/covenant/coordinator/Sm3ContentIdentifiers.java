package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import io.covenant.storage.dataset.DatasetManifest;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Recomputes, from the coordinator's folder of a national-suite consortium, every content identifier its ledger
 * records whose content the coordinator holds (policy texts, dataset schemas, computations, sealed results) with SM3,
 * and checks each matches and is not the SHA-256 of the same bytes.
 */
public final class Sm3ContentIdentifiers {
  private Sm3ContentIdentifiers() {}

  /** Asserts as above for the deployment in {@code coordinatorDir}; each kind of identifier must occur at least once. */
  public static void assertEveryOneIsSm3(Path coordinatorDir) {
    int policies = 0, schemas = 0, computations = 0, results = 0, bindings = 0;
    try (LocalDeployment d = LocalDeployment.open(coordinatorDir)) {
      assertEquals(CryptoSuite.SM, d.suite());
      Set<Digest> publishedPolicies = new HashSet<>();
      for (LedgerEntry e : d.ledger().entries(0, d.ledger().size())) {
        switch (e.event().event()) {
          case AuditEvent.PolicyPublished p -> {
            Policy text = Policy.parse(d.store().policy(p.policyHash()).orElseThrow(() -> new AssertionError("no text for " + p.policyHash())).json());
            assertSm3(p.policyHash(), text.toJson().canonicalBytes(), "policy " + p.policyId());
            assertEquals(p.policyHash(), text.hash(CryptoSuite.SM));
            publishedPolicies.add(p.policyHash());
            policies++;
          }
          case AuditEvent.DatasetPublished p -> {
            DatasetRecord r = d.store().datasets().stream().filter(x -> x.version().equals(p.dataset())).findFirst().orElseThrow();
            assertSm3(p.schemaHash(), r.schema().toJson().canonicalBytes(), "schema of " + p.dataset());
            assertEquals(p.schemaHash(), DatasetManifest.schemaHash(CryptoSuite.SM, r.schema()));
            schemas++;
          }
          case AuditEvent.JobSubmitted s -> {
            JobRecord job = d.store().jobs().stream().filter(j -> j.request().id().equals(s.jobId())).findFirst().orElseThrow();
            assertSm3(s.computationHash(), job.request().computation().toJson().canonicalBytes(), "computation of " + s.jobId());
            computations++;
          }
          case AuditEvent.JobAuthorized a -> {
            for (AuditEvent.PolicyBinding b : a.policies()) {
              assertTrue(publishedPolicies.contains(b.policyHash()), "job " + a.jobId() + " binds " + b.policyHash() + ", not an SM3 policy hash the owners published");
              bindings++;
            }
          }
          case AuditEvent.ResultCommitted r -> {
            assertSm3(r.resultHash(), d.coordinator().sealedResult(r.jobId()), "result of " + r.jobId());
            results++;
          }
          default -> { }
        }
      }
    }
    assertTrue(policies > 0 && schemas > 0 && computations > 0 && bindings > 0 && results > 0,
        "the demo records each kind: " + policies + " policies, " + schemas + " schemas, " + computations + " computations, " + bindings + " bindings, " + results + " results");
  }

  private static void assertSm3(Digest recorded, byte[] content, String what) {
    assertEquals(CryptoSuite.SM.hash(content), recorded, what + " is recorded under SM3");
    assertNotEquals(CryptoSuite.INTL.hash(content), recorded, what + " is not a SHA-256");
  }
}
