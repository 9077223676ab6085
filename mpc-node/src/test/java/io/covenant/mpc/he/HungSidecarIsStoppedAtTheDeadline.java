package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A sidecar that stops answering (here: frozen with SIGSTOP) does not hang its caller: the call fails at its deadline
 * with a message that names the sidecar and the wait, the process is stopped, and a restart brings a working one.
 */
class HungSidecarIsStoppedAtTheDeadline {
  @Test
  void frozenSidecarTimesOutAndRestarts() throws Exception {
    try (SealSidecar he = SealSidecar.start(HeSidecarInstall.install(), SealSidecar.Options.named("frozen").withOperationTimeout(Duration.ofSeconds(2)))) {
      HeContext ctx = he.context(HeParameters.BFV_AGGREGATE);
      Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(he.pid())).start();
      assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0, "could not freeze the sidecar");
      HeSidecarException e = assertThrows(HeSidecarException.class, () -> he.generateKeys(ctx));
      assertTrue(e.getMessage().contains("'frozen'") && e.getMessage().contains("did not answer KEYGEN within 2 s"), e.getMessage());
      assertFalse(he.isHealthy());
      he.restart();
      he.healthCheck(Duration.ofSeconds(10));
      he.generateKeys(he.context(HeParameters.BFV_AGGREGATE));
    }
  }
}
