package io.covenant.coordinator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.cli.CovenantCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA from the command line: 'ca init' pins a root and enrols the operator, 'org enrol' and 'org create' certify
 * organisations, 'verify' passes; 'ca revoke' records ORG_REVOKED, after which the ledger refuses what the revoked
 * organisation signs, naming the revocation entry, and records nothing. 'ca init' on a data directory that already has a ledger is refused with nothing
 * written, and 'org enrol' without a root says to run 'ca init'.
 */
class CaEnrolAndRevokeFromTheCli {
  @TempDir Path dir;

  private static CovenantCli.Captured run(Path data, String... args) {
    return CovenantCli.executeCaptured(Stream.concat(Stream.of(args), Stream.of("--data-dir", data.toString())).toArray(String[]::new));
  }

  @Test
  void initEnrolVerifyRevoke() throws Exception {
    Path data = dir.resolve("data");
    var init = run(data, "ca", "init", "--name", "Test consortium");
    assertEquals(0, init.exit(), init.err());
    assertTrue(init.out().contains("Test consortium root") && init.out().contains("consortium-ca.key"), init.out());
    assertTrue(Files.readString(data.resolve("consortium.json")).contains("\"root\""));

    var enrol = run(data, "org", "enrol", "hospital-a", "--role", "owner");
    assertEquals(0, enrol.exit(), enrol.err());
    assertTrue(enrol.out().contains("by Test consortium root"), enrol.out());
    var create = run(data, "org", "create", "insurer-x", "--role", "consumer");
    assertEquals(0, create.exit(), create.err());
    assertTrue(create.out().contains("enrolled insurer-x"), "with a root pinned, create enrols: " + create.out());

    var verified = run(data, "verify");
    assertEquals(0, verified.exit(), verified.out() + verified.err());

    var revoke = run(data, "ca", "revoke", "hospital-a", "--reason", "signing key lost");
    assertEquals(0, revoke.exit(), revoke.err());
    assertEquals(0, run(data, "verify").exit(), "the revocation itself verifies");

    Path csv = dir.resolve("claims.csv");
    Files.writeString(csv, "age,cost\n" + "40,10.5\n".repeat(3));
    var publish = run(data, "dataset", "publish", csv.toString(), "--owner", "hospital-a");
    assertEquals(1, publish.exit(), publish.out());
    assertTrue(publish.err().contains("revoked at entry 3") && !publish.err().contains("\tat "), publish.err());
    assertEquals(0, run(data, "verify").exit(), "nothing was recorded for the revoked organisation");
    var list = run(data, "dataset", "list");
    assertFalse(list.out().contains("hospital-a/claims"), list.out());
  }

  @Test
  void initOnAnExistingLedgerIsRefusedAndEnrolNeedsARoot() {
    Path data = dir.resolve("plain");
    assertEquals(0, run(data, "org", "create", "hospital-a", "--role", "owner").exit());
    var enrol = run(data, "org", "enrol", "hospital-b", "--role", "owner");
    assertEquals(1, enrol.exit());
    assertTrue(enrol.err().contains("ca init"), enrol.err());
    var init = run(data, "ca", "init");
    assertEquals(1, init.exit());
    assertTrue(init.err().contains("already holds a ledger"), init.err());
    assertFalse(Files.exists(data.resolve("consortium-ca")), "a refused init writes no CA");
    assertFalse(init.err().contains("Exception"), init.err());
  }
}
