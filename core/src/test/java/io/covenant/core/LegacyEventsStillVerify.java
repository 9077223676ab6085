package io.covenant.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * POLICY_PUBLISHED and JOB_AUTHORIZED gained fields (a policy's limits, a job's debits) in version 2. Entries an
 * earlier build signed as version 1, byte for byte as it wrote them, still decode, re-encode to the signed bytes and
 * verify; version 2 round-trips; a version that does not match its fields, or a newer one, is refused by name.
 */
class LegacyEventsStillVerify {
  private final SigningKey key = SigningKey.generate();
  private final String hash = Digest.sha256("policy".getBytes(StandardCharsets.UTF_8)).hex();

  /** A signed entry as an earlier build wrote it: the statement built by hand, not by this build's encoder. */
  private Json.JObject signedByHand(String type, int version, Json.JObject body) {
    Json.JObject statement = Json.obj("type", type, "v", version, "actor", "hospital-a", "at", "2026-01-01T00:00:00Z", "body", body);
    return Json.obj("statement", statement, "sig", key.sign(statement.canonicalBytes()).hex());
  }

  private SignedEvent readBack(Json.JObject signed) {
    SignedEvent e = SignedEvent.fromJson(Json.parseObject(signed.encode()));
    assertTrue(e.verifiedBy(key.verifyingKey()), "the entry's signature still verifies");
    assertArrayEquals(signed.object("statement").canonicalBytes(), e.statement().canonicalBytes(), "it re-encodes to the bytes that were signed");
    return e;
  }

  @Test
  void aVersionOnePolicyPublicationIsALegacyEntryWithoutLimits() {
    SignedEvent e = readBack(signedByHand("POLICY_PUBLISHED", 1, Json.obj("dataset", "hospital-a/claims", "policyId", "p", "policyHash", hash)));
    var p = assertInstanceOf(AuditEvent.PolicyPublished.class, e.event());
    assertEquals(Optional.empty(), p.limits());
    assertEquals(1, p.version());
  }

  @Test
  void aVersionOneAuthorisationIsALegacyEntryWithoutDebits() {
    SignedEvent e = readBack(signedByHand("JOB_AUTHORIZED", 1, Json.obj("job", "job-00000000000000aa",
        "policies", List.of(Json.obj("dataset", "hospital-a/claims@1", "policyHash", hash)))));
    var a = assertInstanceOf(AuditEvent.JobAuthorized.class, e.event());
    assertEquals(false, a.recordsDebits());
    assertEquals(1, a.version());
  }

  @Test
  void versionTwoCarriesLimitsAndDebitsAndRoundTrips() {
    var limits = new AuditEvent.PolicyLimits(OptionalLong.of(10), Optional.of(new BigDecimal("0.50")), Optional.of(new BigDecimal("20")));
    var published = new AuditEvent.PolicyPublished(DatasetId.parse("hospital-a/claims"), "p", Digest.parse(hash), Optional.of(limits));
    var authorised = new AuditEvent.JobAuthorized(new JobId("job-00000000000000bb"), List.of(new AuditEvent.PolicyBinding(
        DatasetVersion.parse("hospital-a/claims@1"), Digest.parse(hash), AuditEvent.Debit.oneUse(new BigDecimal("0.5")))));
    for (AuditEvent event : List.of(published, authorised)) {
      SignedEvent signed = SignedEvent.sign(event, OrgId.of("hospital-a"), key, Instant.now());
      assertEquals(2, signed.statement().number("v"));
      SignedEvent back = readBack(signed.toJson());
      assertEquals(event, back.event());
    }
    assertEquals("0.5", published.body().object("limits").string("epsilonPerQuery"), "decimals travel as plain strings, without trailing zeros");
  }

  @Test
  void aVersionOneStartIsALegacyEntryWithoutTheSimulationLabel() {
    String measurement = "ab".repeat(48);
    SignedEvent e = readBack(signedByHand("COMPUTATION_STARTED", 1, Json.obj("job", "job-00000000000000aa", "engine", "tee", "measurement", measurement)));
    var started = assertInstanceOf(AuditEvent.ComputationStarted.class, e.event());
    assertEquals(Optional.empty(), started.simulated());
    assertEquals(1, started.version());
  }

  @Test
  void versionTwoOfAStartSaysWhetherTheEnclaveIsSimulatedAndRoundTrips() {
    var started = new AuditEvent.ComputationStarted(new JobId("job-00000000000000bb"), io.covenant.core.job.Engine.TEE, Optional.empty(), true);
    SignedEvent signed = SignedEvent.sign(started, OrgId.of("hospital-a"), key, Instant.now());
    assertEquals(2, signed.statement().number("v"));
    assertEquals(started, readBack(signed.toJson()).event());
    var unlabelled = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("COMPUTATION_STARTED", 2,
        Json.obj("job", "job-00000000000000cc", "engine", "tee"))));
    assertTrue(unlabelled.getMessage().contains("must say whether the enclave is simulated"), unlabelled.getMessage());
    var labelledLegacy = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("COMPUTATION_STARTED", 1,
        Json.obj("job", "job-00000000000000cc", "engine", "tee", "simulated", false))));
    assertTrue(labelledLegacy.getMessage().contains("does not say"), labelledLegacy.getMessage());
  }

  @Test
  void aVersionThatDoesNotMatchItsFieldsIsRefused() {
    var withDebit = Json.obj("job", "job-00000000000000cc", "policies",
        List.of(Json.obj("dataset", "hospital-a/claims@1", "policyHash", hash, "uses", 1, "epsilon", "1")));
    var x = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("JOB_AUTHORIZED", 1, withDebit)));
    assertTrue(x.getMessage().contains("version-1 JOB_AUTHORIZED carries no debits"), x.getMessage());
    var noLimits = Json.obj("dataset", "hospital-a/claims", "policyId", "p", "policyHash", hash);
    assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("POLICY_PUBLISHED", 2, noLimits)));
    var newer = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("POLICY_PUBLISHED", 3, noLimits)));
    assertTrue(newer.getMessage().contains("version 3") && newer.getMessage().contains("newer build"), newer.getMessage());
    var otherType = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("JOB_DENIED", 2,
        Json.obj("job", "job-00000000000000cc", "reasons", List.of()))));
    assertTrue(otherType.getMessage().contains("versions 1 to 1"), otherType.getMessage());
  }

  @Test
  void aDecimalInAnotherFormIsRefused() {
    var body = Json.obj("job", "job-00000000000000dd", "policies",
        List.of(Json.obj("dataset", "hospital-a/claims@1", "policyHash", hash, "uses", 1, "epsilon", "1.0")));
    var x = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(signedByHand("JOB_AUTHORIZED", 2, body)));
    assertTrue(x.getMessage().contains("plain notation"), x.getMessage());
  }
}
