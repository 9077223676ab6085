package io.covenant.storage.cipher;

import io.covenant.core.error.IntegrityException;

/** A shard that failed authentication: its bytes were modified, it belongs elsewhere, or the key is wrong. */
public class TamperedShardException extends IntegrityException {
  private final ShardId shard;

  public TamperedShardException(ShardId shard, String why, Throwable cause) {
    super(shard + " failed authentication: " + why, cause);
    this.shard = shard;
  }

  public TamperedShardException(ShardId shard, Throwable cause) {
    this(shard, "the data was modified, moved from another dataset, version or position, or the key is wrong", cause);
  }

  /** Which shard failed. */
  public ShardId shard() {
    return shard;
  }
}
