package io.covenant.storage.telemetry;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;

/** A telemetry record with its device's Ed25519 signature (RFC 8032) over {@link TelemetryRecord#signedBytes}. */
public record SignedTelemetry(TelemetryRecord record, Signature signature) {
  public SignedTelemetry {
    if (record == null || signature == null) throw new MalformedInputException("a signed telemetry record needs the record and its device's signature");
  }

  /** What the OBD unit does: signs each record with its own key. */
  public static SignedTelemetry sign(TelemetryRecord record, SigningKey deviceKey) {
    return new SignedTelemetry(record, deviceKey.sign(record.signedBytes()));
  }

  /** One line of a telemetry file: the record's fields and {@code sig}. */
  public Json.JObject toJson() {
    Json.JObject r = record.toJson();
    java.util.Map<String, Json> m = new java.util.LinkedHashMap<>(r.members());
    m.put("sig", new Json.JString(signature.hex()));
    return new Json.JObject(m);
  }

  public static SignedTelemetry fromJson(Json.JObject o) {
    return new SignedTelemetry(TelemetryRecord.fromJson(o), Signature.parse(o.string("sig")));
  }
}
