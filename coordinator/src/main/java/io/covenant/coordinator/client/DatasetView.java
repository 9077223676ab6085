package io.covenant.coordinator.client;

import io.covenant.core.codec.Json;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.DatasetSchema;
import java.time.Instant;

/** A published dataset version as the API lists it: address and shape, never values. */
public record DatasetView(DatasetVersion dataset, String manifest, long rows, long shards, DatasetSchema schema, Instant publishedAt) {

  static DatasetView fromJson(Json.JObject o) {
    return new DatasetView(DatasetVersion.parse(o.string("dataset")), o.string("manifest"), o.number("rows"), o.number("shards"),
        DatasetSchema.fromJson(o.array("schema")), Instant.parse(o.string("publishedAt")));
  }
}
