package io.covenant.coordinator;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.codec.Json;
import io.covenant.core.id.OrgId;
import java.util.Map;
import java.util.TreeMap;

/** The demo policy with members changed, for tests of one policy feature at a time. */
final class PolicyVariants {
  private PolicyVariants() {}

  static String demoPolicyWith(OrgId hospital, Object... namesAndValues) {
    Map<String, Json> m = new TreeMap<>(Json.parseObject(HospitalInsurerDemo.policyFor(hospital)).members());
    Json.JObject changes = Json.obj(namesAndValues);
    m.putAll(changes.members());
    m.put("id", Json.of(hospital.value() + "-variant-" + Integer.toHexString(changes.encode().hashCode())));
    return new Json.JObject(m).encode();
  }
}
