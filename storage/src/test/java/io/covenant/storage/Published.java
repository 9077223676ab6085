package io.covenant.storage;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.PublishedDataset;
import io.covenant.storage.dataset.SignedManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** A sample dataset published into a fresh local store, with everything a test needs to read it back or damage it. */
public record Published(LocalBlockstore store, DatasetVersion version, DataKey key, SigningKey owner, PublishedDataset dataset, int padding) {

  public static Published sample(Path dir, String version, long rows, int batchRows, int padding) {
    return into(new LocalBlockstore(dir), version, DataKey.generate(), SigningKey.generate(), rows, batchRows, padding);
  }

  public static Published into(LocalBlockstore store, String version, DataKey key, SigningKey owner, long rows, int batchRows, int padding) {
    DatasetVersion v = DatasetVersion.parse(version);
    try (BufferAllocator allocator = new RootAllocator();
        SampleClaims batches = new SampleClaims(allocator, rows, batchRows, padding)) {
      PublishedDataset p = new DatasetPublisher(store).publish(v, SampleClaims.SCHEMA, batches, key, owner);
      return new Published(store, v, key, owner, p, padding);
    }
  }

  public SignedManifest manifest() {
    return dataset.manifest();
  }

  /** Reads the whole dataset back as plain values, closing every Arrow buffer (the allocator checks for leaks). */
  public List<List<Object>> readAll(SignedManifest manifest, DataKey key) {
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      new DatasetReader(store).forEachBatch(manifest, key, allocator, root -> rows.addAll(SampleClaims.rowsOf(root)));
    }
    return rows;
  }

  /** The file holding a block, found by name, as an operator with shell access would find it. */
  public Path fileOf(Cid cid) {
    try (Stream<Path> s = Files.walk(store.directory())) {
      return s.filter(p -> p.getFileName().toString().equals(cid.toString())).findFirst()
          .orElseThrow(() -> new AssertionError("no file for block " + cid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void flipByte(Cid cid, int position) {
    try {
      Path f = fileOf(cid);
      byte[] b = Files.readAllBytes(f);
      b[position] ^= 0x01;
      Files.write(f, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
