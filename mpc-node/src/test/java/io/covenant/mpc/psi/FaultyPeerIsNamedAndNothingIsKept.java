package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.transport.PeerLinkException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A peer that sends the wrong number of elements, or dies mid-run: the honest party's run fails with a
 * {@link PeerLinkException} naming that peer and what it did, and returns no result (not a partial intersection).
 */
class FaultyPeerIsNamedAndNothingIsKept {
  static final List<String> X = IntStream.range(0, 600).mapToObj(i -> "id" + i).toList();
  static final List<String> Y = IntStream.range(300, 900).mapToObj(i -> "id" + i).toList();

  /** Runs an honest receiver against a sender whose frames pass through {@code tamper}; returns the receiver's error. */
  static PeerLinkException receiverErrorAgainst(PsiProtocol p, BiFunction<Integer, byte[], byte[]> tamper) {
    PsiJob job = new PsiJob("job-faulty", p, IdRule.CASE_SENSITIVE, Delivery.BOTH, 2);
    AtomicReference<Object> receiverResult = new AtomicReference<>();
    AtomicReference<RuntimeException> receiverError = new AtomicReference<>();
    try {
      TwoParties.run(Duration.ofSeconds(20), l -> {
        try {
          receiverResult.set(PsiParty.intersect(job, PsiRole.RECEIVER, IdSource.of(X), l));
        } catch (RuntimeException e) {
          receiverError.set(e);
        }
        return null;
      }, l -> {
        try {
          return PsiParty.intersect(job, PsiRole.SENDER, IdSource.of(Y), new TamperingLink(l, tamper));
        } catch (RuntimeException e) {
          return null; // the faulty side's own failure is not what this test is about
        }
      });
    } catch (RuntimeException ignored) {
      // the outcome is read from the receiver's side below
    }
    assertEquals(null, receiverResult.get(), "a failed run must not return a result");
    RuntimeException e = receiverError.get();
    assertTrue(e instanceof PeerLinkException, "expected a PeerLinkException, got " + e);
    PeerLinkException ple = (PeerLinkException) e;
    assertEquals(TwoParties.HOSPITAL, ple.peer());
    assertTrue(ple.getMessage().startsWith("hospital-a "), ple.getMessage());
    return ple;
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void extraElementsAreRefused(PsiProtocol p) {
    int frame = p == PsiProtocol.ECDH_P256 ? 1 : 2; // ECDH: first batch of blinded points; KKRT: first OPRF values
    int unit = p == PsiProtocol.ECDH_P256 ? EcdhPsi.POINT_BYTES : 3 * KkrtPsi.TAG_BYTES;
    var e = receiverErrorAgainst(p, (i, f) -> i == frame ? Arrays.copyOf(f, f.length + 700 * unit) : f);
    assertEquals(PeerLinkException.Reason.MALFORMED, e.reason());
    assertTrue(e.getMessage().contains("more") && e.getMessage().contains("than it announced"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void aPartialElementIsRefused(PsiProtocol p) {
    var e = receiverErrorAgainst(p, (i, f) -> i == 2 ? Arrays.copyOf(f, f.length - 1) : f);
    assertEquals(PeerLinkException.Reason.MALFORMED, e.reason());
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void aPeerThatDiesMidRunIsNamed(PsiProtocol p) {
    var e = receiverErrorAgainst(p, (i, f) -> i == 2 ? null : f);
    assertEquals(PeerLinkException.Reason.LEFT, e.reason());
    assertTrue(e.getMessage().contains("left the computation"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void anEmptyFrameWhereElementsWereDueIsRefused(PsiProtocol p) {
    int last = p == PsiProtocol.ECDH_P256 ? 1 : 2;
    var e = receiverErrorAgainst(p, (i, f) -> i == last ? new byte[0] : f);
    assertEquals(PeerLinkException.Reason.MALFORMED, e.reason(), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void fewerElementsThanTheAnnouncedSetSizeAreRefused() {
    // The sender's hello announces one element more than it sends: its next frames (tags) do not parse as the missing point.
    var e = receiverErrorAgainst(PsiProtocol.ECDH_P256, (i, f) -> {
      if (i != 0) return f;
      byte[] hello = f.clone();
      int at = hello.length - 16 - 4; // the set size precedes the 16-byte nonce
      java.nio.ByteBuffer.wrap(hello).putInt(at, java.nio.ByteBuffer.wrap(hello).getInt(at) + 1);
      return hello;
    });
    assertEquals(PeerLinkException.Reason.MALFORMED, e.reason());
    assertTrue(e.getMessage().contains("blinded points"), e.getMessage());
  }
}
