package io.covenant.mpc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.JobId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.transport.Party;
import io.covenant.policy.OutputControls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a lying party, a curious coordinator or a replaying one can do with a multi-party result: the coordinator holds
 * three HPKE ciphertexts it cannot open; a party that alters its shares is caught and named (every share is held by
 * two parties); parts moved between seats or jobs, a result of another query, or a bundle opened with another key are
 * refused.
 */
class AlteredOrMisdirectedSharesAreRefused {
  static final String SQL = "SELECT age_band(age) AS band, COUNT(*) AS n, SUM(claim_cost) AS total FROM claims GROUP BY age_band(age)";
  static SecureAggregateQuery query;
  static HpkeKeyPair consumer;
  static JobId job;
  static List<byte[]> parts;
  static Digest signed;

  @BeforeAll
  static void run() {
    query = SecureAggregateQuery.compile(SQL, OutputControls.cohortOnly(3));
    consumer = HpkeKeyPair.generate();
    job = JobId.random();
    parts = SecretSharedAggregateMatchesAPlainComputation.sealedParts(query,
        List.of(ClaimsBatches.random(7, 200), ClaimsBatches.random(8, 200), ClaimsBatches.random(9, 200)), job, consumer);
    signed = new Computation.SqlQuery(SQL).hash(io.covenant.core.crypto.CryptoSuite.INTL);
  }

  @Test
  void theHonestBundleOpens() {
    assertTrue(SealedShares.openTable(SealedShares.bundle(job, parts), consumer, job, signed).rows().size() > 3);
  }

  @Test
  void theCoordinatorCannotOpenWhatItStores() {
    HpkeKeyPair coordinator = HpkeKeyPair.generate();
    IntegrityException e = assertThrows(IntegrityException.class, () -> SealedShares.open(SealedShares.bundle(job, parts), coordinator, job));
    assertTrue(e.getMessage().contains("cannot be opened with this key pair"), e.getMessage());
    // Nor does the bundle carry anything readable: three ciphertexts, no layout or share in the clear.
    String stored = new String(SealedShares.bundle(job, parts), StandardCharsets.UTF_8);
    assertTrue(!stored.contains("claim_cost") && !stored.contains("first"), stored);
  }

  @Test
  void aPartyThatAltersItsSharesIsNamed() {
    // Seat 1 re-seals altered shares (it knows the consumer's public key): its neighbours hold the same shares unaltered.
    SecureAggregateQuery q = query;
    long[] first = new long[q.groups() + q.measurements().size() * q.groups()];
    long[] second = first.clone();
    first[0] = 12345;
    byte[] forged = SealedShares.seal(job, SecretSharedAggregateMatchesAPlainComputation.COMMITTEE, Party.P1, q.layout(),
        io.covenant.mpc.sharing.ShareVector.of(Party.P1, first, second), consumer.publicKey());
    List<byte[]> altered = new ArrayList<>(parts);
    altered.set(1, forged);
    IntegrityException e = assertThrows(IntegrityException.class, () -> SealedShares.open(SealedShares.bundle(job, altered), consumer, job));
    assertTrue(e.getMessage().contains("disagree") && e.getMessage().contains("hospital-b"), e.getMessage());
  }

  @Test
  void partsSwappedBetweenSeatsOrReplayedIntoAnotherJobAreRefused() {
    List<byte[]> swapped = new ArrayList<>(List.of(parts.get(1), parts.get(0), parts.get(2)));
    assertThrows(IntegrityException.class, () -> SealedShares.open(SealedShares.bundle(job, swapped), consumer, job));
    JobId other = JobId.random();
    IntegrityException e = assertThrows(IntegrityException.class, () -> SealedShares.open(SealedShares.bundle(other, parts), consumer, other));
    assertTrue(e.getMessage().contains("cannot be opened"), e.getMessage());
  }

  @Test
  void aResultOfAnotherQueryThanTheSignedOneIsRefused() {
    IntegrityException e = assertThrows(IntegrityException.class,
        () -> SealedShares.openTable(SealedShares.bundle(job, parts), consumer, job, new Computation.SqlQuery("SELECT COUNT(*) FROM claims").hash(io.covenant.core.crypto.CryptoSuite.INTL)));
    assertTrue(e.getMessage().contains("another query"), e.getMessage());
  }

  @Test
  void anAlteredBundleIsRefused() {
    byte[] bundle = SealedShares.bundle(job, parts);
    Json.JObject o = Json.parseObject(bundle);
    List<String> p = new ArrayList<>(o.strings("parts"));
    byte[] raw = Base64.getDecoder().decode(p.get(2));
    raw[raw.length - 5] ^= 1;
    p.set(2, Base64.getEncoder().encodeToString(raw));
    byte[] tampered = Json.obj("format", SealedShares.INFO, "job", job.value(), "parts", p).canonicalBytes();
    IntegrityException e = assertThrows(IntegrityException.class, () -> SealedShares.open(tampered, consumer, job));
    assertEquals(true, e.getMessage().startsWith("part 2"), e.getMessage());
  }
}
