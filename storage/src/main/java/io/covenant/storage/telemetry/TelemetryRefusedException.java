package io.covenant.storage.telemetry;

import io.covenant.core.error.IntegrityException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A telemetry batch refused whole: at least one record was forged, replayed or out of order. Nothing of the batch was
 * stored. Carries every refusal's reason (the message lists the counts per reason and the first few records).
 */
public final class TelemetryRefusedException extends IntegrityException {
  /** Why a record was refused. */
  public enum Reason {
    /** No certificate from the maker for the device that claims to have signed it. */
    UNKNOWN_DEVICE("forged: no device certificate from the maker"),
    /** The signature does not verify against the device's certified key. */
    BAD_SIGNATURE("forged: the signature does not verify against the device's key"),
    /** The device's sequence number was already accepted (in this batch or an earlier one). */
    REPLAYED("replayed: this device's sequence number was already accepted"),
    /** The sequence number or the trip's start goes back before a record already accepted from the device. */
    OUT_OF_ORDER("out of order: it goes back before a record already accepted from this device");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** One refused record: its position in the batch (from 1), device, sequence number and why. */
  public record Refusal(long position, String device, long sequence, Reason reason) {
    @Override
    public String toString() {
      return "record " + position + " (device " + device + ", sequence " + sequence + "): " + reason.text();
    }
  }

  private static final int LISTED = 10;
  private final List<Refusal> refusals;
  private final long records;

  public TelemetryRefusedException(List<Refusal> refusals, long records) {
    super(message(refusals, records));
    this.refusals = List.copyOf(refusals);
    this.records = records;
  }

  public List<Refusal> refusals() {
    return refusals;
  }

  public long records() {
    return records;
  }

  public Map<Reason, Long> counts() {
    return refusals.stream().collect(Collectors.groupingBy(Refusal::reason, () -> new java.util.EnumMap<>(Reason.class), Collectors.counting()));
  }

  private static String message(List<Refusal> refusals, long records) {
    Map<Reason, Long> counts = refusals.stream().collect(Collectors.groupingBy(Refusal::reason, () -> new java.util.EnumMap<>(Reason.class), Collectors.counting()));
    StringBuilder b = new StringBuilder("the telemetry batch was refused and nothing of it was stored: " + refusals.size() + " of " + records + " records ("
        + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' ')).collect(Collectors.joining(", ")) + ")");
    refusals.stream().limit(LISTED).forEach(r -> b.append("\n  ").append(r));
    if (refusals.size() > LISTED) b.append("\n  ... and ").append(refusals.size() - LISTED).append(" more");
    b.append("\nRemove the refused records (or re-certify their devices) and ingest the batch again.");
    return b.toString();
  }
}
