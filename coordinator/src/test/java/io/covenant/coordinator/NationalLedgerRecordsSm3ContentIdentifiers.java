package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.coordinator.cli.CovenantCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a national-suite ledger every content identifier is SM3: after {@code demo --suite sm --in-process}, each
 * recorded policy hash, schema hash, computation hash, bound policy hash and result hash is recomputed from the text or
 * bytes it names with SM3 and matches, and is not the SHA-256 of the same bytes (so no module made it with the
 * international hash). {@code verify} passes.
 */
class NationalLedgerRecordsSm3ContentIdentifiers {
  @TempDir Path dir;

  @Test
  void everyRecordedIdentifierIsTheSm3OfWhatItNames() {
    PrintStream console = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("demo", "--suite", "sm", "--in-process", "--data-dir", dir.toString()));
      assertEquals(0, CovenantCli.execute("verify", "--data-dir", dir.toString()));
    } finally {
      System.setOut(console);
    }
    Sm3ContentIdentifiers.assertEveryOneIsSm3(dir);
  }
}
