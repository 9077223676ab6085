package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Known answers from RFC 9380 Appendix J.1.1 (suite P256_XMD:SHA-256_SSWU_RO_, DST
 * "QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_"): the field elements u0 and u1, the two mapped points Q0 and Q1 and
 * the output P, for each of the appendix's five messages.
 */
class HashToCurveMatchesRfc9380Vectors {
  private static final HashToCurveP256 SUITE = new HashToCurveP256("QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_");

  record Vector(String msg, String px, String py, String u0, String u1, String q0x, String q0y, String q1x, String q1y) {
    @Override
    public String toString() {
      return msg.length() > 20 ? msg.substring(0, 20) + "…" : "\"" + msg + "\"";
    }
  }

  static Vector[] vectors() {
    return new Vector[] {
        new Vector("",
            "2c15230b26dbc6fc9a37051158c95b79656e17a1a920b11394ca91c44247d3e4", "8a7a74985cc5c776cdfe4b1f19884970453912e9d31528c060be9ab5c43e8415",
            "ad5342c66a6dd0ff080df1da0ea1c04b96e0330dd89406465eeba11582515009", "8c0f1d43204bd6f6ea70ae8013070a1518b43873bcd850aafa0a9e220e2eea5a",
            "ab640a12220d3ff283510ff3f4b1953d09fad35795140b1c5d64f313967934d5", "dccb558863804a881d4fff3455716c836cef230e5209594ddd33d85c565b19b1",
            "51cce63c50d972a6e51c61334f0f4875c9ac1cd2d3238412f84e31da7d980ef5", "b45d1a36d00ad90e5ec7840a60a4de411917fbe7c82c3949a6e699e5a1b66aac"),
        new Vector("abc",
            "0bb8b87485551aa43ed54f009230450b492fead5f1cc91658775dac4a3388a0f", "5c41b3d0731a27a7b14bc0bf0ccded2d8751f83493404c84a88e71ffd424212e",
            "afe47f2ea2b10465cc26ac403194dfb68b7f5ee865cda61e9f3e07a537220af1", "379a27833b0bfe6f7bdca08e1e83c760bf9a338ab335542704edcd69ce9e46e0",
            "5219ad0ddef3cc49b714145e91b2f7de6ce0a7a7dc7406c7726c7e373c58cb48", "7950144e52d30acbec7b624c203b1996c99617d0b61c2442354301b191d93ecf",
            "019b7cb4efcfeaf39f738fe638e31d375ad6837f58a852d032ff60c69ee3875f", "589a62d2b22357fed5449bc38065b760095ebe6aeac84b01156ee4252715446e"),
        new Vector("abcdef0123456789",
            "65038ac8f2b1def042a5df0b33b1f4eca6bff7cb0f9c6c1526811864e544ed80", "cad44d40a656e7aff4002a8de287abc8ae0482b5ae825822bb870d6df9b56ca3",
            "0fad9d125a9477d55cf9357105b0eb3a5c4259809bf87180aa01d651f53d312c", "b68597377392cd3419d8fcc7d7660948c8403b19ea78bbca4b133c9d2196c0fb",
            "a17bdf2965eb88074bc01157e644ed409dac97cfcf0c61c998ed0fa45e79e4a2", "4f1bc80c70d411a3cc1d67aeae6e726f0f311639fee560c7f5a664554e3c9c2e",
            "7da48bb67225c1a17d452c983798113f47e438e4202219dd0715f8419b274d66", "b765696b2913e36db3016c47edb99e24b1da30e761a8a3215dc0ec4d8f96e6f9"),
        new Vector("q128_" + "q".repeat(128),
            "4be61ee205094282ba8a2042bcb48d88dfbb609301c49aa8b078533dc65a0b5d", "98f8df449a072c4721d241a3b1236d3caccba603f916ca680f4539d2bfb3c29e",
            "3bbc30446f39a7befad080f4d5f32ed116b9534626993d2cc5033f6f8d805919", "76bb02db019ca9d3c1e02f0c17f8baf617bbdae5c393a81d9ce11e3be1bf1d33",
            "c76aaa823aeadeb3f356909cb08f97eee46ecb157c1f56699b5efebddf0e6398", "776a6f45f528a0e8d289a4be12c4fab80762386ec644abf2bffb9b627e4352b1",
            "418ac3d85a5ccc4ea8dec14f750a3a9ec8b85176c95a7022f391826794eb5a75", "fd6604f69e9d9d2b74b072d14ea13050db72c932815523305cb9e807cc900aff"),
        new Vector("a512_" + "a".repeat(512),
            "457ae2981f70ca85d8e24c308b14db22f3e3862c5ea0f652ca38b5e49cd64bc5", "ecb9f0eadc9aeed232dabc53235368c1394c78de05dd96893eefa62b0f4757dc",
            "4ebc95a6e839b1ae3c63b847798e85cb3c12d3817ec6ebc10af6ee51adb29fec", "4e21af88e22ea80156aff790750121035b3eefaa96b425a8716e0d20b4e269ee",
            "d88b989ee9d1295df413d4456c5c850b8b2fb0f5402cc5c4c7e815412e926db8", "bb4a1edeff506cf16def96afff41b16fc74f6dbd55c2210e5b8f011ba32f4f40",
            "a281e34e628f3a4d2a53fa87ff973537d68ad4fbc28d3be5e8d9f6a2571c5a4b", "f6ed88a7aab56a488100e6f1174fa9810b47db13e86be999644922961206e184"),
    };
  }

  private static BigInteger hex(String h) {
    return new BigInteger(h, 16);
  }

  @ParameterizedTest(name = "msg {0}")
  @MethodSource("vectors")
  void hashToFieldGivesTheAppendixFieldElements(Vector v) {
    BigInteger[] u = SUITE.hashToField(v.msg().getBytes(StandardCharsets.US_ASCII));
    assertEquals(hex(v.u0()), u[0]);
    assertEquals(hex(v.u1()), u[1]);
  }

  @ParameterizedTest(name = "msg {0}")
  @MethodSource("vectors")
  void simplifiedSwuMapsEachFieldElementToTheAppendixPoint(Vector v) {
    ECPoint q0 = HashToCurveP256.mapToCurve(hex(v.u0())).normalize();
    ECPoint q1 = HashToCurveP256.mapToCurve(hex(v.u1())).normalize();
    assertEquals(hex(v.q0x()), q0.getAffineXCoord().toBigInteger());
    assertEquals(hex(v.q0y()), q0.getAffineYCoord().toBigInteger());
    assertEquals(hex(v.q1x()), q1.getAffineXCoord().toBigInteger());
    assertEquals(hex(v.q1y()), q1.getAffineYCoord().toBigInteger());
  }

  @ParameterizedTest(name = "msg {0}")
  @MethodSource("vectors")
  void hashToCurveGivesTheAppendixPoint(Vector v) {
    ECPoint p = SUITE.hash(v.msg().getBytes(StandardCharsets.US_ASCII));
    assertEquals(hex(v.px()), p.getAffineXCoord().toBigInteger());
    assertEquals(hex(v.py()), p.getAffineYCoord().toBigInteger());
  }

  @Test
  void anotherDomainSeparationTagGivesAnotherPoint() {
    ECPoint other = new HashToCurveP256("QUUX-V01-CS02-with-P256_XMD:SHA-256_SSWU_RO_x").hash(new byte[0]);
    assertNotEquals(hex(vectors()[0].px()), other.getAffineXCoord().toBigInteger());
  }
}
