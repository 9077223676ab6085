package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames to and from the sidecar are size-limited: a request above the limit is refused before it is sent (the
 * sidecar stays healthy), and an answer above it stops the sidecar with a message naming the limit.
 */
class FramesAboveTheLimitAreRefused {
  private static SealSidecar small;

  @BeforeAll
  static void start() {
    small = SealSidecar.start(HeSidecarInstall.install(), SealSidecar.Options.named("small-frames").withMaxFrameBytes(16 * 1024));
  }

  @AfterAll
  static void stop() {
    small.close();
  }

  @Test
  void oversizedRequestThenOversizedAnswer() {
    HeContext ctx = small.context(HeParameters.CKKS_AGGREGATE);
    // generateKeys saves the public key (about 260 KiB): its answer frame is above 16 KiB.
    HeSidecarException answer = assertThrows(HeSidecarException.class, () -> small.generateKeys(ctx));
    assertTrue(answer.getMessage().contains("frame of") && answer.getMessage().contains("'small-frames'"), answer.getMessage());
    assertFalse(small.isHealthy());
    small.restart();
    HeContext again = small.context(HeParameters.CKKS_AGGREGATE);
    HeRefusedException request = assertThrows(HeRefusedException.class, () -> small.addPlain(new HeHandle.Ciphertext(again, 1), new double[4096]));
    assertTrue(request.getMessage().contains("above its limit"), request.getMessage());
    assertTrue(small.isHealthy(), "a refused request leaves the sidecar running");
    small.healthCheck(java.time.Duration.ofSeconds(10));
  }
}
