package io.covenant.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.job.Computation;
import io.covenant.core.job.MpcSecurity;
import org.junit.jupiter.api.Test;

/**
 * A job file's {@code "security"}: {@code malicious} makes the multi-party query run in SPDZ and is part of what the
 * consumer signs (another computation hash than the semi-honest query's, which keeps the hash it had before the option
 * existed); a typo, or the option on a job that is not a multi-party query, is refused naming what to do.
 */
class JobFileSecurityChoosesTheMultiPartyMode {
  static final String SQL = "SELECT COUNT(*) AS n FROM claims";

  private static Json.JObject job(String engine, String security) {
    return Json.parseObject("""
        {"consumer": "insurer-x", "purpose": "research", "engine": "%s", "datasets": ["hospital-a/claims", "hospital-b/claims"],
         "sql": "%s"%s}
        """.formatted(engine, SQL, security == null ? "" : ", \"security\": \"" + security + "\""));
  }

  @Test
  void maliciousIsSignedAsPartOfTheComputation() {
    Computation malicious = JobFile.fromJson(job("mpc", "malicious")).computation();
    assertEquals(MpcSecurity.MALICIOUS, ((Computation.SqlQuery) malicious).security());
    assertEquals(malicious, Computation.fromJson(malicious.toJson()));
    Computation semiHonest = JobFile.fromJson(job("mpc", null)).computation();
    assertEquals(semiHonest, JobFile.fromJson(job("mpc", "semi-honest")).computation());
    assertNotEquals(malicious.hash(io.covenant.core.crypto.CryptoSuite.INTL), semiHonest.hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertFalse(semiHonest.toJson().has("security"), "the default is written nowhere: " + semiHonest.toJson().encode());
    assertEquals(Json.obj("kind", "sql", "sql", SQL).canonicalBytes().length, semiHonest.toJson().canonicalBytes().length);
  }

  @Test
  void typosAndMisplacedOptionsAreRefused() {
    MalformedInputException typo = assertThrows(MalformedInputException.class, () -> JobFile.fromJson(job("mpc", "malicous")));
    assertTrue(typo.getMessage().contains("malicous") && typo.getMessage().contains("semi-honest"), typo.getMessage());
    MalformedInputException tee = assertThrows(MalformedInputException.class, () -> JobFile.fromJson(job("tee", "malicious")));
    assertTrue(tee.getMessage().contains("\"engine\": \"mpc\""), tee.getMessage());
  }
}
