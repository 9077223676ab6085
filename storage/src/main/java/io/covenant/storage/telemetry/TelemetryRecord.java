package io.covenant.storage.telemetry;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One trip as a vehicle's OBD unit reports it. Every quantity is an integer in a stated unit, so the signed bytes
 * are exact and no floating-point rendering can make a valid signature fail:
 *
 * @param device the OBD unit's id (its certificate's common name)
 * @param sequence the unit's record counter: strictly increasing, never reused (replay and order are judged on it)
 * @param trip the unit's trip counter
 * @param start trip start, Unix seconds (UTC)
 * @param end trip end, Unix seconds, not before {@code start}
 * @param distanceM distance driven, metres
 * @param maxSpeedDkmh top speed, tenths of km/h
 * @param meanSpeedDkmh mean speed while moving, tenths of km/h
 * @param maxAccelCms2 strongest acceleration, cm/s²
 * @param maxDecelCms2 strongest braking (deceleration, positive), cm/s²
 * @param harshBrakes braking events above 3.5 m/s²
 * @param speedingS seconds above the road's limit
 * @param odometerM odometer at trip end, metres
 * @param batteryPermille battery state of charge at trip end, ‰
 * @param cell the location cell the trip ended in (a coarse grid cell id, never coordinates)
 */
public record TelemetryRecord(
    String device, long sequence, long trip, long start, long end, long distanceM, long maxSpeedDkmh, long meanSpeedDkmh,
    long maxAccelCms2, long maxDecelCms2, long harshBrakes, long speedingS, long odometerM, long batteryPermille, String cell) {

  private static final byte[] LABEL = "covenant/telemetry/v1\0".getBytes(StandardCharsets.US_ASCII);

  public TelemetryRecord {
    if (device == null || device.isBlank()) throw new MalformedInputException("a telemetry record names its device");
    if (cell == null || !cell.matches("[a-z0-9]{1,16}")) throw new MalformedInputException("a telemetry record's location cell is 1-16 of a-z 0-9, not '" + cell + "'");
    if (sequence < 0 || trip < 0) throw new MalformedInputException("record " + sequence + " of " + device + " has a negative sequence or trip number");
    if (end < start) throw new MalformedInputException("record " + sequence + " of " + device + " ends before it starts");
    if (distanceM < 0 || maxSpeedDkmh < 0 || meanSpeedDkmh < 0 || maxAccelCms2 < 0 || maxDecelCms2 < 0 || harshBrakes < 0 || speedingS < 0
        || odometerM < 0 || batteryPermille < 0 || batteryPermille > 1000) {
      throw new MalformedInputException("record " + sequence + " of " + device + " has a quantity out of range (negative, or battery above 1000 ‰)");
    }
  }

  /**
   * The bytes the device signs: a fixed label, then every field in declaration order, strings as UTF-8 with a
   * 2-byte length and numbers as 8-byte big-endian integers (one unambiguous encoding per record).
   */
  public byte[] signedBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(LABEL);
      out.writeUTF(device);
      for (long v : new long[] {sequence, trip, start, end, distanceM, maxSpeedDkmh, meanSpeedDkmh, maxAccelCms2, maxDecelCms2, harshBrakes, speedingS,
          odometerM, batteryPermille}) {
        out.writeLong(v);
      }
      out.writeUTF(cell);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public Json.JObject toJson() {
    return Json.obj("device", device, "seq", sequence, "trip", trip, "start", start, "end", end, "distanceM", distanceM, "maxSpeedDkmh", maxSpeedDkmh,
        "meanSpeedDkmh", meanSpeedDkmh, "maxAccelCms2", maxAccelCms2, "maxDecelCms2", maxDecelCms2, "harshBrakes", harshBrakes,
        "speedingS", speedingS, "odometerM", odometerM, "batteryPermille", batteryPermille, "cell", cell);
  }

  public static TelemetryRecord fromJson(Json.JObject o) {
    return new TelemetryRecord(o.string("device"), o.number("seq"), o.number("trip"), o.number("start"), o.number("end"), o.number("distanceM"),
        o.number("maxSpeedDkmh"), o.number("meanSpeedDkmh"), o.number("maxAccelCms2"), o.number("maxDecelCms2"), o.number("harshBrakes"),
        o.number("speedingS"), o.number("odometerM"), o.number("batteryPermille"), o.string("cell"));
  }
}
