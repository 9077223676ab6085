package io.covenant.coordinator.catalogue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.DatasetId;
import java.time.Instant;

/** A policy an owner published for a dataset, as text plus the hash recorded on the ledger. */
public record PolicyRecord(DatasetId dataset, String policyId, Digest hash, String json, Instant publishedAt) {}
