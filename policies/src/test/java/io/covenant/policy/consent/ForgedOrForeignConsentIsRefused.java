package io.covenant.policy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A consent counts only as its owner signed it: a grant edited after signing (another consumer, a longer period) is
 * refused; a withdrawal signed by someone other than the grant's owner is refused; a genuine withdrawal ends the grant
 * from its own time on, not before; and a grant never covers a licence paying owners less than its price floor.
 */
class ForgedOrForeignConsentIsRefused {
  private static final DatasetId DATASET = DatasetId.parse("velo-motors/telemetry");
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final OrgId INSURER = OrgId.of("aurora-insurance");
  private static final Purpose UBI = new Purpose("ubi-pricing");
  private final SigningKey owner = SigningKey.generate();
  private final String vehicle = Digest.sha256(new byte[] {7}).hex();

  private OwnerConsent.Grant grant(OrgId consumer, long floor) {
    return new OwnerConsent.Grant(DATASET, vehicle, owner.verifyingKey(), consumer, UBI, T0, T0.plus(Duration.ofDays(365)), "EUR", floor, "0123456789abcdef0123456789abcdef");
  }

  @Test
  void aGrantEditedAfterSigningIsRefused() {
    SignedConsent signed = SignedConsent.sign(grant(INSURER, 10), owner);
    SignedConsent edited = new SignedConsent(grant(OrgId.of("data-broker"), 10), signed.signature());
    ConsentBook book = new ConsentBook(DATASET);
    var e = assertThrows(IntegrityException.class, () -> book.add(edited));
    assertTrue(e.getMessage().contains("not signed by the owner it names"), e.getMessage());
    assertTrue(book.covered(OrgId.of("data-broker"), UBI, T0.plusSeconds(60), 100).isEmpty());
  }

  @Test
  void aWithdrawalByAnotherOwnerIsRefused() {
    ConsentBook book = new ConsentBook(DATASET);
    Digest g = book.add(SignedConsent.sign(grant(INSURER, 10), owner));
    SigningKey stranger = SigningKey.generate();
    SignedConsent foreign = SignedConsent.sign(new OwnerConsent.Withdrawal(DATASET, vehicle, stranger.verifyingKey(), g, T0.plusSeconds(10)), stranger);
    assertThrows(IntegrityException.class, () -> book.add(foreign));
    assertEquals(Optional.of(g), book.covering(vehicle, INSURER, UBI, T0.plusSeconds(3600), 10), "the grant still covers after the refused withdrawal");
  }

  @Test
  void aWithdrawalEndsTheGrantFromItsOwnTimeOn() {
    ConsentBook book = new ConsentBook(DATASET);
    Digest g = book.add(SignedConsent.sign(grant(INSURER, 10), owner));
    Instant at = T0.plus(Duration.ofDays(10));
    book.add(SignedConsent.sign(new OwnerConsent.Withdrawal(DATASET, vehicle, owner.verifyingKey(), g, at), owner));
    assertEquals(Optional.of(g), book.covering(vehicle, INSURER, UBI, at.minusSeconds(1), 10));
    assertEquals(Optional.empty(), book.covering(vehicle, INSURER, UBI, at, 10));
    assertEquals(Optional.empty(), book.covering(vehicle, INSURER, new Purpose("marketing"), at.minusSeconds(1), 10), "another purpose is not covered");
  }

  @Test
  void aLicenceUnderThePriceFloorIsNotCovered() {
    ConsentBook book = new ConsentBook(DATASET);
    book.add(SignedConsent.sign(grant(INSURER, 20), owner));
    assertTrue(book.covered(INSURER, UBI, T0.plusSeconds(60), 15).isEmpty());
    assertEquals(1, book.covered(INSURER, UBI, T0.plusSeconds(60), 20).size());
  }
}
