package io.covenant.storage.importing;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.ColumnType;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.dataset.DatasetPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MalformedCsvLineIsNamed {
  @TempDir Path dir;

  private MalformedInputException failure(String text, java.util.function.UnaryOperator<CsvImport> configure) throws IOException {
    Path csv = dir.resolve("claims.csv");
    Files.writeString(csv, text, StandardCharsets.UTF_8);
    return assertThrows(MalformedInputException.class, () -> configure.apply(CsvImport.from(csv)).schema());
  }

  private void assertNamesLine(String text, int line) throws IOException {
    MalformedInputException e = failure(text, c -> c);
    assertTrue(e.getMessage().contains("claims.csv, line " + line), e.getMessage());
  }

  @Test
  void eachKindOfMalformedRecordNamesItsLine() throws IOException {
    assertNamesLine("a,b\n1,2\n3,4\n5\n", 4);                            // too few fields
    assertNamesLine("a,b\n1,2\n3,4,5\n", 3);                             // too many fields
    assertNamesLine("a,b\n1,2\n3,x\"y\n", 3);                            // quote inside an unquoted field
    assertNamesLine("a,b\n1,\"2\"x\n", 2);                               // text after a closing quote
    assertNamesLine("a,b\n1,\"multi\nline\"\n3,4,5\n", 4);               // line numbers count line breaks inside quotes
    assertNamesLine("a,b\n1,2\n3,\"never closed\n4,5\n", 3);             // unterminated quote: the line it opened on
    assertNamesLine("A b,c\n1,2\n", 1);                                  // a header that is not a column name
    assertNamesLine("a,a\n1,2\n", 1);                                    // duplicate column
  }

  @Test
  void aValueThatDoesNotFitAnExplicitTypeNamesLineAndColumn() throws IOException {
    MalformedInputException e = failure("id,day\n1,2024-01-01\n2,2024-02-30\n", c -> c.withType("day", ColumnType.DATE));
    assertTrue(e.getMessage().contains("line 3, column 'day'"), e.getMessage());
    MalformedInputException n = failure("id,n\n1,2\n2,two\n", c -> c.withType("n", ColumnType.INT64));
    assertTrue(n.getMessage().contains("line 3, column 'n'"), n.getMessage());
    MalformedInputException unknown = failure("id,n\n1,2\n", c -> c.withType("missing", ColumnType.INT64));
    assertTrue(unknown.getMessage().contains("'missing'"), unknown.getMessage());
  }

  @Test
  void invalidUtf8IsReportedWithItsLine() throws IOException {
    Path csv = dir.resolve("claims.csv");
    Files.write(csv, new byte[] {'a', '\n', '1', '\n', (byte) 0xC3, '(', '\n'});
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> CsvImport.from(csv).schema());
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void aMalformedFileWritesNoBlockAtAll() throws IOException {
    Path csv = dir.resolve("claims.csv");
    StringBuilder text = new StringBuilder("id,cost\n");
    for (int i = 0; i < 5_000; i++) text.append(i).append(',').append(i * 1.5).append('\n');
    text.append("5000,1.5,extra\n");
    Files.writeString(csv, text, StandardCharsets.UTF_8);
    LocalBlockstore store = new LocalBlockstore(dir.resolve("blocks"));
    try (BufferAllocator allocator = new RootAllocator()) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> {
        try (CsvBatches b = CsvImport.from(csv).withBatchRows(1_000).batches(allocator)) {
          new DatasetPublisher(store).publish(DatasetVersion.parse("hospital-a/claims@1"), b.schema(), b, DataKey.generate(), SigningKey.generate());
        }
      });
      assertTrue(e.getMessage().contains("line 5002"), e.getMessage());
    }
    try (Stream<Path> s = Files.walk(dir.resolve("blocks"))) {
      assertEquals(0, s.filter(Files::isRegularFile).count(), "no shard was written for a file that fails to parse");
    }
  }
}
