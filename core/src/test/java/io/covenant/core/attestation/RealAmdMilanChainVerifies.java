package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/**
 * AMD's published Milan ARK and ASK (from the KDS {@code /vcek/v1/Milan/cert_chain}; the ASK test resource as copied
 * in the MIT-licensed routex-client-lua, attestation/vcek.lua, whose ARK's SHA-256 matches the fingerprint AMD's chain
 * gives) go through the same RSASSA-PSS chain check the verifier uses: this proves the check works on real AMD
 * certificates, not only on the test hierarchy.
 */
class RealAmdMilanChainVerifies {
  private static X509Certificate realAsk() throws Exception {
    try (var in = RealAmdMilanChainVerifies.class.getResourceAsStream("/amd/ask-milan.pem")) {
      return AmdRootKeys.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void thePinnedArkIsSelfSignedAndTheRealAskVerifiesUnderIt() throws Exception {
    X509Certificate ark = AmdRootKeys.milan();
    assertTrue(ark.getSubjectX500Principal().getName().contains("CN=ARK-Milan"));
    assertEquals("RSASSA-PSS", ark.getSigAlgName());
    assertDoesNotThrow(() -> SnpVerifier.signedBy(ark, ark.getPublicKey(), "ARK self-signature"));
    X509Certificate ask = realAsk();
    assertTrue(ask.getSubjectX500Principal().getName().contains("CN=SEV-Milan"));
    assertDoesNotThrow(() -> SnpVerifier.signedBy(ask, ark.getPublicKey(), "ASK under ARK"));
  }

  @Test
  void anAskFromAnotherRootDoesNotVerifyUnderTheRealArk() {
    var e = assertThrows(SnpAttestationException.class,
        () -> SnpVerifier.signedBy(new SnpTestPlatform().ask, AmdRootKeys.milan().getPublicKey(), "ASK does not verify under the pinned ARK"));
    assertTrue(e.getMessage().contains("pinned ARK"));
  }
}
