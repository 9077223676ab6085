package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parameters above the HomomorphicEncryption.org 128-bit bound are refused, both when chosen here and when a peer
 * sends them as SEAL bytes (the peer's bytes are built by SEAL directly, bypassing this side's constructor check).
 */
class InsecureParametersAreRefused {
  private static SealSidecar sidecar;

  @BeforeAll
  static void start() {
    sidecar = Sidecars.start("params");
  }

  @AfterAll
  static void stop() {
    sidecar.close();
  }

  @Test
  void aModulusAboveTheTableIsRefusedWhenChosen() {
    InsecureParametersException e = assertThrows(InsecureParametersException.class, () -> HeParameters.ckks(8192, List.of(60, 60, 60, 60), 40));
    assertTrue(e.getMessage().contains("at most 218 bits"), e.getMessage());
    assertThrows(InsecureParametersException.class, () -> HeParameters.bfv(4096, List.of(40, 40, 40), 20));
  }

  @Test
  void theBoundItselfIsAccepted() {
    HeParameters.ckks(8192, List.of(52, 38, 38, 38, 52), 38);
    HeParameters.bfv(4096, List.of(36, 36, 37), 20);
  }

  @Test
  void aPeersInsecureParameterBytesAreRefusedAtLoad() throws Exception {
    SealBytes insecure = sidecar.parameterBytes(HeScheme.CKKS, 4096, List.of(40, 40, 40), 0);
    InsecureParametersException e = assertThrows(InsecureParametersException.class, () -> sidecar.context(insecure, 30));
    assertTrue(e.getMessage().contains("N = 4096") && e.getMessage().contains("120-bit"), e.getMessage());
  }
}
