package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.he.HeHandle.Ciphertext;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encryption under a public key that crossed to another sidecar as SEAL bytes, and back: the consumer decrypts what a
 * peer encrypted (CKKS within its precision, BFV exactly), and the peer's evaluator computes on it.
 */
class EncryptedValuesDecryptToThemselves {
  private static SealSidecar consumer;
  private static SealSidecar peer;

  @BeforeAll
  static void start() {
    consumer = Sidecars.start("consumer");
    peer = Sidecars.start("peer");
  }

  @AfterAll
  static void stop() {
    consumer.close();
    peer.close();
  }

  @Test
  void ckksRealsRoundTripThroughAPeer() {
    assertTrue(consumer.implementation().contains("SEAL 4."), consumer.implementation());
    HeContext ctx = consumer.context(HeParameters.CKKS_AGGREGATE);
    KeyPair keys = consumer.generateKeys(ctx);
    HeContext peerCtx = peer.context(ctx.parameterBytes(), ctx.parameters().scaleBits());
    assertEquals(ctx.parameters(), peerCtx.parameters());
    HeHandle.PublicKey pk = peer.loadPublicKey(peerCtx, keys.publicKeyBytes());
    double[] v = new Random(1).doubles(peerCtx.slots(), -1000, 1000).toArray();
    Ciphertext atPeer = peer.encryptReals(pk, v);
    Ciphertext doubled = peer.add(atPeer, atPeer);
    SealBytes sent = peer.save(doubled);
    double[] back = consumer.decryptReals(keys.secretKey(), consumer.loadCiphertext(ctx, sent));
    double maxError = 0;
    for (int i = 0; i < v.length; i++) maxError = Math.max(maxError, Math.abs(back[i] - 2 * v[i]));
    assertTrue(maxError < 1e-5, "CKKS error " + maxError);
    assertTrue(maxError > 0, "CKKS is approximate: an error of exactly 0 means nothing was encrypted");
  }

  @Test
  void bfvIntegersRoundTripExactly() {
    HeContext ctx = consumer.context(HeParameters.BFV_AGGREGATE);
    KeyPair keys = consumer.generateKeys(ctx);
    HeContext peerCtx = peer.context(ctx.parameterBytes(), 0);
    long[] v = new Random(2).longs(ctx.slots(), -1_000_000, 1_000_000).toArray();
    Ciphertext atPeer = peer.encryptIntegers(peer.loadPublicKey(peerCtx, keys.publicKeyBytes()), v);
    Ciphertext tripled = peer.multiplyPlain(atPeer, filled(ctx.slots(), 3));
    long[] back = consumer.decryptIntegers(keys.secretKey(), consumer.loadCiphertext(ctx, peer.save(tripled)));
    long[] expected = new long[v.length];
    for (int i = 0; i < v.length; i++) expected[i] = 3 * v[i];
    assertArrayEquals(expected, back);
  }

  @Test
  void rotationsAndSlotSumsUseTheGaloisKeys() {
    HeContext ctx = consumer.context(HeParameters.CKKS_AGGREGATE);
    KeyPair keys = consumer.generateKeys(ctx);
    HeHandle.GaloisKeys gk = consumer.galoisKeys(keys.secretKey(), new int[] {1});
    double[] v = new double[ctx.slots()];
    for (int i = 0; i < v.length; i++) v[i] = i % 7;
    Ciphertext ct = consumer.encryptReals(keys.publicKey(), v);
    double[] rotated = consumer.decryptReals(keys.secretKey(), consumer.rotate(ct, 1, gk));
    for (int i = 0; i < v.length; i++) assertEquals(v[(i + 1) % v.length], rotated[i], 1e-5);
    HeHandle.GaloisKeys all = consumer.galoisKeys(keys.secretKey(), new int[0]);
    double[] sum = consumer.decryptReals(keys.secretKey(), consumer.sumSlots(ct, all));
    double expected = 0;
    for (double x : v) expected += x;
    assertEquals(expected, sum[0], 1e-2);
    assertEquals(expected, sum[ctx.slots() - 1], 1e-2);
  }

  static long[] filled(int n, long x) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, x);
    return a;
  }
}
