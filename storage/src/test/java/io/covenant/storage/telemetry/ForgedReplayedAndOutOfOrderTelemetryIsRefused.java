package io.covenant.storage.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.DeviceCertificates;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.storage.telemetry.TelemetryRefusedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The maker's ingest refuses, whole, a batch holding a forged record (edited after signing, signed by an uncertified
 * key, or from a unit the maker never certified), a replayed record (again in the same batch, or again after its batch
 * was accepted) or an out-of-order one (a lower sequence number, or a trip starting before the last one ended), naming
 * each refused record and why. A refused batch yields nothing to store and leaves the ingest state as it was.
 */
class ForgedReplayedAndOutOfOrderTelemetryIsRefused {
  private static final OrgId MAKER = OrgId.of("velo-motors");
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private final SigningKey makerKey = SigningKey.generate();
  private final SigningKey unitA = SigningKey.generate();
  private final SigningKey unitB = SigningKey.generate();
  private final List<OrgCertificate> certs = List.of(
      DeviceCertificates.issue(MAKER, makerKey, "obd-a", "CVM1234567890ABCD", unitA.verifyingKey(), NOW, Duration.ofDays(3650)),
      DeviceCertificates.issue(MAKER, makerKey, "obd-b", "CVM1234567890ABCE", unitB.verifyingKey(), NOW, Duration.ofDays(3650)));
  private final DeviceDirectory devices = DeviceDirectory.of(MAKER, makerKey.verifyingKey(), certs, NOW.plusSeconds(60));

  private static TelemetryRecord trip(String device, long seq, long start) {
    return new TelemetryRecord(device, seq, seq, start, start + 900, 12_000, 900, 480, 250, 180, 0, 30, 10_000_000 + seq * 12_000, 800, "c1x");
  }

  private static List<SignedTelemetry> drive(String device, SigningKey key, int trips, long firstSeq, long from) {
    List<SignedTelemetry> out = new ArrayList<>();
    for (int i = 0; i < trips; i++) out.add(SignedTelemetry.sign(trip(device, firstSeq + i, from + i * 3_600L), key));
    return out;
  }

  private TelemetryIngest ingest(IngestState state) {
    return new TelemetryIngest(devices, state, vin -> Digest.sha256(vin.getBytes()).hex());
  }

  private TelemetryRefusedException refused(IngestState state, List<SignedTelemetry> batch) {
    return assertThrows(TelemetryRefusedException.class, () -> ingest(state).verify(batch.iterator(), n -> {}));
  }

  @Test
  void genuineRecordsAreAccepted() {
    List<SignedTelemetry> batch = new ArrayList<>(drive("obd-a", unitA, 5, 1, 1_000_000));
    batch.addAll(drive("obd-b", unitB, 3, 1, 1_000_000));
    VerifiedTelemetry v = ingest(IngestState.empty()).verify(batch.iterator(), n -> {});
    assertEquals(8, v.rows());
    assertEquals(2, v.recordsPerVehicle().size());
    assertEquals(5, v.nextState().last("obd-a").orElseThrow().sequence());
  }

  @Test
  void aRecordEditedAfterSigningIsRefusedAsForged() {
    List<SignedTelemetry> batch = new ArrayList<>(drive("obd-a", unitA, 4, 1, 1_000_000));
    SignedTelemetry honest = batch.get(2);
    TelemetryRecord r = honest.record();
    TelemetryRecord edited = new TelemetryRecord(r.device(), r.sequence(), r.trip(), r.start(), r.end(), 120, r.maxSpeedDkmh(), r.meanSpeedDkmh(),
        r.maxAccelCms2(), r.maxDecelCms2(), r.harshBrakes(), r.speedingS(), r.odometerM(), r.batteryPermille(), r.cell());
    batch.set(2, new SignedTelemetry(edited, honest.signature()));
    TelemetryRefusedException e = refused(IngestState.empty(), batch);
    assertEquals(List.of(new TelemetryRefusedException.Refusal(3, "obd-a", 3, Reason.BAD_SIGNATURE)), e.refusals());
    assertTrue(e.getMessage().contains("nothing of it was stored") && e.getMessage().contains("forged"), e.getMessage());
  }

  @Test
  void aRecordSignedByAnotherUnitsKeyIsRefusedAsForged() {
    List<SignedTelemetry> batch = new ArrayList<>(drive("obd-a", unitA, 2, 1, 1_000_000));
    batch.add(SignedTelemetry.sign(trip("obd-a", 3, 1_010_000), unitB));
    assertEquals(Reason.BAD_SIGNATURE, refused(IngestState.empty(), batch).refusals().get(0).reason());
  }

  @Test
  void aUnitTheMakerNeverCertifiedIsRefused() {
    SigningKey rogue = SigningKey.generate();
    TelemetryRefusedException e = refused(IngestState.empty(), drive("obd-rogue", rogue, 1, 1, 1_000_000));
    assertEquals(Reason.UNKNOWN_DEVICE, e.refusals().get(0).reason());
  }

  @Test
  void aCertificateSignedByAnotherMakerIsRefusedWhenTheDirectoryIsMade() {
    SigningKey otherMaker = SigningKey.generate();
    OrgCertificate foreign = DeviceCertificates.issue(MAKER, otherMaker, "obd-x", "CVM1234567890ABCF", SigningKey.generate().verifyingKey(), NOW, Duration.ofDays(10));
    var e = assertThrows(io.covenant.core.error.IntegrityException.class, () -> DeviceDirectory.of(MAKER, makerKey.verifyingKey(), List.of(foreign), NOW));
    assertTrue(e.getMessage().contains("is not signed by maker velo-motors"), e.getMessage());
  }

  @Test
  void aRecordRepeatedInTheSameBatchIsRefusedAsReplayed() {
    List<SignedTelemetry> batch = new ArrayList<>(drive("obd-a", unitA, 4, 1, 1_000_000));
    batch.add(batch.get(1));
    TelemetryRefusedException e = refused(IngestState.empty(), batch);
    assertEquals(List.of(new TelemetryRefusedException.Refusal(5, "obd-a", 2, Reason.REPLAYED)), e.refusals());
  }

  @Test
  void aRecordOfAnAcceptedBatchSentAgainIsRefusedAsReplayed() {
    List<SignedTelemetry> first = drive("obd-a", unitA, 4, 1, 1_000_000);
    IngestState after = ingest(IngestState.empty()).verify(first.iterator(), n -> {}).nextState();
    List<SignedTelemetry> second = new ArrayList<>(drive("obd-a", unitA, 2, 5, 1_100_000));
    second.add(first.get(3));
    TelemetryRefusedException e = refused(after, second);
    assertEquals(Reason.REPLAYED, e.refusals().get(0).reason());
    assertEquals(4, e.refusals().get(0).sequence());
  }

  @Test
  void aLateOrOverlappingRecordIsRefusedAsOutOfOrder() {
    List<SignedTelemetry> batch = new ArrayList<>(drive("obd-a", unitA, 3, 10, 1_000_000));
    batch.add(SignedTelemetry.sign(trip("obd-a", 5, 1_200_000), unitA)); // a number below what was accepted, never seen
    batch.add(SignedTelemetry.sign(trip("obd-a", 13, 1_007_500), unitA)); // starts before trip 12 ended
    TelemetryRefusedException e = refused(IngestState.empty(), batch);
    assertEquals(List.of(Reason.OUT_OF_ORDER, Reason.OUT_OF_ORDER), e.refusals().stream().map(TelemetryRefusedException.Refusal::reason).toList());
  }

  @Test
  void aRefusedBatchLeavesTheStateAsItWas() {
    IngestState before = ingest(IngestState.empty()).verify(drive("obd-a", unitA, 2, 1, 1_000_000).iterator(), n -> {}).nextState();
    List<SignedTelemetry> batch = new ArrayList<>(drive("obd-a", unitA, 3, 3, 1_100_000));
    batch.add(batch.get(0));
    refused(before, batch);
    assertEquals(2, before.last("obd-a").orElseThrow().sequence(), "the state an accepted batch yielded is unchanged by a refused one");
    // The same genuine records, without the replay, are still accepted afterwards: nothing of the refused batch counted.
    assertEquals(3, ingest(before).verify(batch.subList(0, 3).iterator(), n -> {}).rows());
  }
}
