package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519MatchesRfc8032 {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void testVector1OfSection7_1() {
    SigningKey k = SigningKey.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", k.verifyingKey().hex());
    Signature s = k.sign(new byte[0]);
    assertEquals(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        s.hex());
    assertTrue(k.verifyingKey().verify(new byte[0], s));
  }

  @Test
  void testVector2OfSection7_1() {
    SigningKey k = SigningKey.fromSeed(HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    assertEquals("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", k.verifyingKey().hex());
    Signature s = k.sign(HEX.parseHex("72"));
    assertEquals(
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        s.hex());
  }

  @Test
  void aChangedMessageOrAnotherKeyDoesNotVerify() {
    SigningKey k = SigningKey.generate();
    Signature s = k.sign("statement".getBytes());
    assertFalse(k.verifyingKey().verify("statemenT".getBytes(), s));
    assertFalse(SigningKey.generate().verifyingKey().verify("statement".getBytes(), s));
  }

  @Test
  void keysNeverPrintTheirSecret() {
    SigningKey k = SigningKey.generate();
    String seedHex = HEX.formatHex(k.seedForKeystore());
    assertFalse(k.toString().contains(seedHex));
  }
}
