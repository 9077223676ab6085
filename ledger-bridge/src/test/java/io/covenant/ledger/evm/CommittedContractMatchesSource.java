package io.covenant.ledger.evm;

import io.covenant.core.testing.PeerInstall;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed ABI and bytecode are what solc 0.8.28 makes of CovenantAudit.sol today (compile.js, the same
 * standard-JSON input compile.sh uses). If this fails, run {@code ledger-bridge/src/main/solidity/compile.sh} and
 * commit the result.
 */
@Tag("evm")
class CommittedContractMatchesSource {

  @Test
  void recompiledBytecodeAndAbiMatch(@TempDir Path out) throws Exception {
    Path solc = PeerInstall.install("solc");
    Path module = PeerInstall.repositoryRoot().resolve("ledger-bridge");
    Process p = new ProcessBuilder("node", module.resolve("src/main/solidity/compile.js").toString(), solc.toString(), out.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(2, TimeUnit.MINUTES)) p.destroyForcibly();
    assertEquals(0, p.exitValue(), "compile.js failed:\n" + log);
    Path committed = module.resolve("src/main/resources/io/covenant/ledger/evm");
    for (String f : new String[] {"CovenantAudit.bin", "CovenantAudit.abi.json"}) {
      assertEquals(Files.readString(committed.resolve(f)), Files.readString(out.resolve(f)),
          f + " differs from what CovenantAudit.sol compiles to: run ledger-bridge/src/main/solidity/compile.sh and commit the result");
    }
  }
}
