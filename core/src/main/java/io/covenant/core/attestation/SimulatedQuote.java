package io.covenant.core.attestation;

import io.covenant.core.id.Measurement;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The statement a simulation quote signs: measurement || reportData || issuedAt (milliseconds since the epoch, 8
 * bytes big-endian). Every part has a fixed length, so no two statements share an encoding.
 */
public final class SimulatedQuote {
  private SimulatedQuote() {}

  public static byte[] statement(Measurement measurement, byte[] reportData, Instant issuedAt) {
    byte[] m = HexFormat.of().parseHex(measurement.hex());
    return ByteBuffer.allocate(m.length + reportData.length + Long.BYTES)
        .put(m)
        .put(reportData)
        .putLong(issuedAt.toEpochMilli())
        .array();
  }
}
