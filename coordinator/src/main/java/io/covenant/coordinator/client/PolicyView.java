package io.covenant.coordinator.client;

import io.covenant.core.codec.Json;
import io.covenant.core.id.DatasetId;
import java.time.Instant;

/** A published policy as the API lists it, with whether it is in force, superseded or revoked. */
public record PolicyView(String policy, DatasetId dataset, String hash, String status, Instant publishedAt, Json.JObject document) {

  static PolicyView fromJson(Json.JObject o) {
    return new PolicyView(o.string("policy"), DatasetId.parse(o.string("dataset")), o.string("hash"), o.string("status"),
        Instant.parse(o.string("publishedAt")), o.object("document"));
  }
}
