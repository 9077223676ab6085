package io.covenant.storage.cipher;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;

/** The position of one shard: which dataset version, which index within it (from 0). */
public record ShardId(DatasetVersion dataset, int index) {
  public ShardId {
    if (dataset == null) throw new MalformedInputException("a shard id needs a dataset version");
    if (index < 0) throw new MalformedInputException("shard index must be 0 or more, got " + index + " for dataset " + dataset);
  }

  @Override
  public String toString() {
    return "shard " + index + " of dataset " + dataset;
  }
}
