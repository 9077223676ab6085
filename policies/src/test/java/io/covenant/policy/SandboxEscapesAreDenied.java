package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose SQL tries to leave the enclave's database (read or write host files, attach a database, fetch or
 * load an extension, change the configuration) is denied by the policy analyser before any job is authorised. The
 * analyser fails closed: these are denied because they are not a single plain SELECT over the job's tables, or call a
 * function outside its allow-list, not because each was foreseen. The enclave's DuckDB refuses the same statements on
 * its own (tee-worker's {@code EnclaveDatabaseRefusesEscapes}).
 */
class SandboxEscapesAreDenied {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT COUNT(*) FROM read_csv('/etc/passwd')",
      "SELECT COUNT(*) FROM read_parquet('s3://bucket/x.parquet')",
      "SELECT COUNT(*) FROM read_text('/etc/shadow')",
      "SELECT COUNT(*) FROM glob('/home/*')",
      "SELECT COUNT(*) FROM claims, read_csv('/etc/passwd')",
      "SELECT COUNT(*) FROM claims WHERE sex IN (SELECT column0 FROM read_csv('/etc/passwd'))",
      "COPY claims TO '/tmp/out.csv'",
      "COPY (SELECT sex, COUNT(*) FROM claims GROUP BY sex) TO '/tmp/out.csv'",
      "ATTACH '/tmp/other.duckdb' AS other",
      "INSTALL httpfs",
      "LOAD httpfs",
      "SET enable_external_access = true",
      "RESET lock_configuration",
      "PRAGMA memory_limit = '100GB'",
      "CALL read_csv('/etc/passwd')",
      "EXPORT DATABASE '/tmp/export'",
  })
  void escapeIsDenied(String sql) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome(), sql);
    assertTrue(d.findings().stream().anyMatch(f -> !f.passed() && f.rule().equals("sql")),
        sql + " was denied, but not for its SQL: " + d.findings());
  }
}
