package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.LedgerStorageException;
import io.covenant.ledger.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MalformedExportNamesTheLine {
  @TempDir Path dir;

  private List<String> lines() throws IOException {
    Path f = dir.resolve("good.jsonl");
    Scenario.export(Scenario.chain(new Scenario().setup()), SigningKey.generate()).write(f);
    return new ArrayList<>(Files.readAllLines(f));
  }

  private MalformedInputException readFails(List<String> lines) throws IOException {
    Path f = dir.resolve("bad.jsonl");
    Files.write(f, lines);
    return assertThrows(MalformedInputException.class, () -> LedgerExport.read(f));
  }

  @Test
  void aTruncatedEntryLine() throws IOException {
    List<String> lines = lines();
    lines.set(3, lines.get(3).substring(0, 40));
    MalformedInputException e = readFails(lines);
    assertTrue(e.getMessage().contains("line 4 (entry 2)"), e.getMessage());
  }

  @Test
  void anEntryMissingAField() throws IOException {
    List<String> lines = lines();
    lines.set(5, lines.get(5).replaceFirst("\"previous\"", "\"previoux\""));
    MalformedInputException e = readFails(lines);
    assertTrue(e.getMessage().contains("line 6") && e.getMessage().contains("missing field 'previous'"), e.getMessage());
  }

  @Test
  void aBrokenCheckpointLine() throws IOException {
    List<String> lines = lines();
    lines.set(0, "{\"treeSize\":\"eight\"}");
    MalformedInputException e = readFails(lines);
    assertTrue(e.getMessage().contains("line 1 (the checkpoint)"), e.getMessage());
  }

  @Test
  void anEmptyFile() throws IOException {
    MalformedInputException e = readFails(List.of());
    assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void aMissingFile() {
    LedgerStorageException e = assertThrows(LedgerStorageException.class, () -> LedgerExport.read(dir.resolve("nope.jsonl")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
