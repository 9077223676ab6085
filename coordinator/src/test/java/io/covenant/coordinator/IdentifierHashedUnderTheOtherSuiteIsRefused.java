package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.CommittedResult;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.node.ownjob.JobOnOwnLedger;
import io.covenant.policy.Policy;
import io.covenant.tee.compute.ResultTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a national-suite ledger a content identifier made with SHA-256 (an insider's, or a module that forgot the suite)
 * names nothing: the consumer refuses a result whose RESULT_COMMITTED records the SHA-256 of the sealed bytes, and an
 * owner's node refuses a job whose JOB_AUTHORIZED binds a policy by its SHA-256; each says which hash the ledger uses.
 * The same content under its SM3 identifier is accepted, so the refusal is the suite's, not the content's.
 */
class IdentifierHashedUnderTheOtherSuiteIsRefused {
  static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");
  static final OrgId HOSPITAL = OrgId.of("hospital-a");
  @TempDir Path dir;

  @Test
  void theConsumerRefusesAResultCommittedUnderSha256() {
    OrgCredentials operator = OrgCredentials.generate(OrgId.of("covenant-operator"), CryptoSuite.SM);
    HpkeKeyPair consumer = CryptoSuite.SM.generateSealingKeys();
    JobId job = JobId.random();
    byte[] sealed = ResultTable.sealText(new ResultTable(List.of("region", "claims"), List.of(List.of("north", "120"))), job, consumer.publicKey());

    var insider = trail(operator, job, CryptoSuite.INTL.hash(sealed));
    IntegrityException e = assertThrows(IntegrityException.class, () -> CommittedResult.open(job, sealed, insider, consumer));
    assertTrue(e.getMessage().contains("SM3") && e.getMessage().contains("sm"), e.getMessage());

    ResultTable opened = CommittedResult.open(job, sealed, trail(operator, job, CryptoSuite.SM.hash(sealed)), consumer);
    assertEquals(List.of(List.of("north", "120")), opened.rows());
  }

  @Test
  void anOwnersNodeRefusesAPolicyBoundByItsSha256() {
    OrgCredentials operator = OrgCredentials.generate(OrgId.of("covenant-operator"), CryptoSuite.SM);
    OrgCredentials hospital = OrgCredentials.generate(HOSPITAL, CryptoSuite.SM);
    OrgCredentials insurer = OrgCredentials.generate(HospitalInsurerDemo.INSURER, CryptoSuite.SM);
    String text = HospitalInsurerDemo.policyFor(HOSPITAL);
    Policy policy = Policy.parse(text);
    DatasetVersion claims = new DatasetVersion(policy.dataset(), 1);
    for (CryptoSuite bindingSuite : List.of(CryptoSuite.INTL, CryptoSuite.SM)) {
      JobRequest job = new JobRequest(JobId.random(), insurer.org(), List.of(claims), Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery("SELECT region, count(*) AS claims FROM claims GROUP BY region"));
      try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve(bindingSuite.id()), operator.signingKey())) {
        ledger.append(SignedEvent.sign(operator.registration("Operator", "operator"), operator.org(), operator.signingKey(), AT));
        ledger.append(SignedEvent.sign(hospital.registration("Hospital A", "owner"), hospital.org(), hospital.signingKey(), AT));
        ledger.append(SignedEvent.sign(insurer.registration("Insurer", "consumer"), insurer.org(), insurer.signingKey(), AT));
        ledger.append(SignedEvent.sign(new AuditEvent.JobSubmitted(job.id(), insurer.org(), job.datasets(), job.engine(), job.purpose(),
            job.computation().hash(CryptoSuite.SM)), insurer.org(), insurer.signingKey(), AT));
        ledger.append(SignedEvent.sign(new AuditEvent.JobAuthorized(job.id(), List.of(new AuditEvent.PolicyBinding(claims, policy.hash(bindingSuite),
            Optional.of(AuditEvent.Debit.oneUse(java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO))))), operator.org(), operator.signingKey(), AT));
        JobOnOwnLedger checks = new JobOnOwnLedger(ledger, RefusedByTheNode::new);
        checks.checkSubmitted(job, Engine.TEE);
        if (bindingSuite == CryptoSuite.SM) {
          assertEquals(List.of(policy), checks.boundPolicies(job, List.of(text)));
        } else {
          RefusedByTheNode e = assertThrows(RefusedByTheNode.class, () -> checks.boundPolicies(job, List.of(text)));
          assertTrue(e.getMessage().contains("do not include the one the ledger binds"), e.getMessage());
        }
      }
    }
  }

  /** The node's refusal, as each engine's service makes its own. */
  static final class RefusedByTheNode extends RuntimeException {
    RefusedByTheNode(String message) {
      super(message);
    }
  }

  /** A national ledger's entries for {@code job}: its RESULT_COMMITTED, recording {@code resultHash}. */
  private static List<LedgerEntry> trail(OrgCredentials operator, JobId job, Digest resultHash) {
    SignedEvent committed = SignedEvent.sign(new AuditEvent.ResultCommitted(job, resultHash, Engine.TEE, Optional.empty(), true, List.of(), 1, 0),
        operator.org(), operator.signingKey(), AT);
    return List.of(new LedgerEntry(7, committed, CryptoSuite.SM.hash(new byte[0]), CryptoSuite.SM));
  }
}
