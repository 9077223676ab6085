package io.covenant.coordinator.catalogue;

import io.covenant.core.cid.Cid;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.DatasetSchema;
import java.time.Instant;

/** What the catalogue knows of a published dataset version: its manifest's address, shape and schema; never values. */
public record DatasetRecord(DatasetVersion version, Cid manifest, long rows, int shards, DatasetSchema schema, Instant publishedAt) {}
