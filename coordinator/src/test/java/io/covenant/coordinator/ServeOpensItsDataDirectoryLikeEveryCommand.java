package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.LocalDeployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} opened its data directory differently from every other command: it created a missing one (so a
 * mistyped {@code --data-dir} served a new, empty coordinator) and ignored {@code --ledger} (so an operator who asked
 * for anchoring got an embedded ledger without a word). Now it refuses a missing directory with the same message as
 * the other commands, and opens the ledger {@code --ledger} names, refusing a spec it cannot open.
 */
class ServeOpensItsDataDirectoryLikeEveryCommand {
  @TempDir Path tmp;

  /** Runs './covenant serve' in its own JVM, which must exit by itself (a refusal); a server that starts is a failure. */
  private static CliRun refusedServe(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(ServeProcess.launcherFlags(java));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.covenant.coordinator.cli.CovenantCli", "serve", "--port", "0"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("serve " + String.join(" ", args) + " started serving instead of refusing");
    }
    return new CliRun(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aMissingDataDirectoryIsRefusedWithTheSameMessageAndNotCreated() throws Exception {
    Path missing = tmp.resolve("covenant-dtaa");
    CliRun serve = refusedServe("--data-dir", missing.toString());
    CliRun list = CliRun.of(missing, "job", "list");
    assertEquals(1, serve.exit(), serve.toString());
    assertEquals(1, list.exit(), list.toString());
    assertTrue(serve.err().contains("no data directory at " + missing), serve.err());
    assertTrue(serve.err().contains(list.err().strip()), "the same message as the other commands: " + serve.err() + " vs " + list.err());
    assertFalse(Files.exists(missing), "nothing was created");
  }

  @Test
  void theLedgerOptionIsHonoured() throws Exception {
    Path data = tmp.resolve("data");
    LocalDeployment.open(data).close();
    Path noKey = tmp.resolve("no-such-key");
    CliRun serve = refusedServe("--data-dir", data.toString(), "--ledger",
        "anchored=http://127.0.0.1:1,contract=0x" + "00".repeat(20) + ",key-file=" + noKey);
    assertEquals(1, serve.exit(), serve.toString());
    assertTrue(serve.err().contains("cannot read the EVM key file " + noKey), serve.err());

    CliRun typo = refusedServe("--data-dir", data.toString(), "--ledger", "embeded");
    assertEquals(1, typo.exit(), typo.toString());
    assertTrue(typo.err().contains("ledger 'embeded' is not known"), typo.err());
  }
}
