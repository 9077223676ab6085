package io.covenant.node.ownjob;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.SignedManifest;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An owner's node reading its own dataset version in its own process: the manifest it signed, checked with its own
 * signing key; the data key unwrapped with its own key-encryption key; the shards decrypted batch by batch; the key
 * and the subject key destroyed when the read ends. Nothing read here leaves the node unless the engine's protocol
 * masks or shares it.
 */
public final class OwnShards {
  private final OrgCredentials owner;
  private final KeyEncryptionKey kek;
  private final Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys;
  private final Blockstore blocks;

  public OwnShards(OrgCredentials owner, KeyEncryptionKey kek, Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys, Blockstore blocks) {
    this.owner = owner;
    this.kek = kek;
    this.wrappedKeys = wrappedKeys;
    this.blocks = blocks;
  }

  /**
   * Reads {@code d} (manifest {@code manifestCid}), handing each batch to the consumer {@code reader} makes from the
   * dataset's subject key (for consent exclusions); returns the rows read.
   */
  public long read(DatasetVersion d, Cid manifestCid, Function<SubjectKey, Consumer<VectorSchemaRoot>> reader) {
    WrappedKey wrapped = wrappedKeys.apply(d).orElseThrow(() -> new KeyReleaseRefusedException(KeyReleaseRefusedException.Reason.NO_KEY,
        owner.org() + " holds no wrapped data key for " + d + "; was this version published by this owner?"));
    DatasetReader datasets = new DatasetReader(blocks);
    SignedManifest manifest = datasets.manifest(manifestCid, owner.signingKey().verifyingKey());
    DataKey key;
    try {
      key = kek.unwrap(wrapped, d.toString());
    } catch (IntegrityException e) {
      throw new IntegrityException(owner.org() + "'s key-encryption key does not open the wrapped data key of " + d + "; check the owner's keystore", e);
    }
    SubjectKey subjects = kek.subjectKey(d.dataset());
    long[] rows = {0};
    try (BufferAllocator allocator = new RootAllocator()) {
      Consumer<VectorSchemaRoot> sink = reader.apply(subjects);
      datasets.forEachBatch(manifest, key, allocator, batch -> {
        rows[0] += batch.getRowCount();
        sink.accept(batch);
      });
      return rows[0];
    } finally {
      key.destroy();
      subjects.destroy();
    }
  }
}
