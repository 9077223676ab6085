package io.covenant.storage.importing;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.cipher.TamperedShardException;
import io.covenant.storage.dataset.DatasetExport;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.PublishedDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportedCsvImportsBackIdentically {
  @TempDir Path dir;

  private PublishedDataset publish(LocalBlockstore store, Path csv, DataKey key) {
    try (BufferAllocator allocator = new RootAllocator(); CsvBatches b = CsvImport.from(csv).withBatchRows(3).batches(allocator)) {
      return new DatasetPublisher(store).publish(DatasetVersion.parse("insurer-x/claims@1"), b.schema(), b, key, SigningKey.generate());
    }
  }

  @Test
  void theOwnerExportsExactlyWhatWasImported() throws IOException {
    String original = "patient,age,cost,visit,note\r\n"
        + "p1,34,12.5,2024-01-31,plain\r\n"
        + "\"p,2\",,7.0,2024-02-29,\"she said \"\"hi\"\"\"\r\n"
        + "p3,-5,,,\"two\r\nlines\"\r\n"
        + "p4,0,1.0E10,2023-12-01,\"\"\r\n"
        + "p5,71,-0.25,2020-06-15,\r\n";
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, original, StandardCharsets.UTF_8);
    LocalBlockstore store = new LocalBlockstore(dir.resolve("blocks"));
    DataKey key = DataKey.generate();
    PublishedDataset p = publish(store, csv, key);

    Path out = dir.resolve("out.csv");
    assertEquals(5, new DatasetExport(store).toCsv(p.manifest(), key, out));
    assertEquals(original, Files.readString(out, StandardCharsets.UTF_8), "numbers are written as Java writes doubles");

    // And the export imports to the same schema and the same rows again.
    PublishedDataset again = publish(store, out, DataKey.generate());
    assertEquals(p.manifest().manifest().schema(), again.manifest().manifest().schema());
    assertEquals(p.manifest().manifest().rows(), again.manifest().manifest().rows());
  }

  @Test
  void aTamperedShardLeavesNoPartialExport() throws IOException {
    Path csv = dir.resolve("in.csv");
    StringBuilder text = new StringBuilder("id,cost\n");
    for (int i = 0; i < 30; i++) text.append(i).append(',').append(i * 2.5).append('\n');
    Files.writeString(csv, text, StandardCharsets.UTF_8);
    LocalBlockstore store = new LocalBlockstore(dir.resolve("blocks"));
    DataKey key = DataKey.generate();
    PublishedDataset p = publish(store, csv, key);
    assertEquals(10, p.manifest().manifest().shards().size());

    var last = p.manifest().manifest().shards().get(9).cid();
    Path file;
    try (Stream<Path> s = Files.walk(dir.resolve("blocks"))) {
      file = s.filter(f -> f.getFileName().toString().equals(last.toString())).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(file);
    b[b.length - 1] ^= 1;
    Files.write(file, b);

    Path out = dir.resolve("export");
    Files.createDirectories(out);
    Path target = out.resolve("claims.csv");
    assertThrows(TamperedShardException.class, () -> new DatasetExport(store).toCsv(p.manifest(), key, target));
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(0, s.count(), "neither the export nor its temporary file is left behind");
    }
  }

  @Test
  void multiByteTextAcrossManyReadBuffersSurvivesTheRoundTrip() throws IOException {
    StringBuilder original = new StringBuilder("id,name\r\n");
    for (int i = 0; i < 20_000; i++) original.append(i).append(",caf\u00e9 \u6f22\u5b57 \ud83d\ude42 ").append(i).append("\r\n");
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, original, StandardCharsets.UTF_8);
    LocalBlockstore store = new LocalBlockstore(dir.resolve("blocks"));
    DataKey key = DataKey.generate();
    PublishedDataset p;
    try (BufferAllocator allocator = new RootAllocator(); CsvBatches b = CsvImport.from(csv).batches(allocator)) {
      p = new DatasetPublisher(store).publish(DatasetVersion.parse("insurer-x/names@1"), b.schema(), b, key, SigningKey.generate());
    }
    java.io.StringWriter out = new java.io.StringWriter();
    assertEquals(20_000, new DatasetExport(store).toCsv(p.manifest(), key, out));
    assertEquals(original.toString(), out.toString());
  }
}
