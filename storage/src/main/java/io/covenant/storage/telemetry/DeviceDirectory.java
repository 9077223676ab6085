package io.covenant.storage.telemetry;

import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.DeviceCertificates;
import io.covenant.core.identity.OrgCertificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OBD units a maker has certified, as its ingest trusts them: device id → (the unit's key, the VIN it is fitted
 * to). Built only from certificates that verify against the maker's key ({@link DeviceCertificates#problemWith}); a
 * certificate that does not is refused when the directory is made, naming the device, so no record can later be
 * accepted on its strength.
 */
public final class DeviceDirectory {
  /** A certified unit. */
  public record Device(String id, VerifyingKey key, String vin) {}

  private final OrgId maker;
  private final Map<String, Device> devices;

  private DeviceDirectory(OrgId maker, Map<String, Device> devices) {
    this.maker = maker;
    this.devices = devices;
  }

  /** The directory of {@code certificates}, each checked against {@code makerKey} at {@code at}. */
  public static DeviceDirectory of(OrgId maker, VerifyingKey makerKey, List<OrgCertificate> certificates, Instant at) {
    Map<String, Device> devices = new HashMap<>();
    for (OrgCertificate c : certificates) {
      Optional<String> problem = DeviceCertificates.problemWith(c, maker, makerKey, at);
      if (problem.isPresent()) throw new IntegrityException(problem.get() + "; remove it from the device list or have " + maker + " certify the unit again");
      String vin = c.subjectSerialNumber().orElseThrow(() -> new IntegrityException("the device certificate of '" + c.subjectName() + "' names no VIN"));
      VerifyingKey key = c.subjectKey().orElseThrow(() -> new IntegrityException("the device certificate of '" + c.subjectName() + "' is not for an Ed25519 key"));
      devices.put(c.subjectName(), new Device(c.subjectName(), key, vin));
    }
    return new DeviceDirectory(maker, Map.copyOf(devices));
  }

  public Optional<Device> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  public int size() {
    return devices.size();
  }

  public OrgId maker() {
    return maker;
  }
}
