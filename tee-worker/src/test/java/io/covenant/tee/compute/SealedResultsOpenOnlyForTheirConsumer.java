package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.JobId;
import io.covenant.core.text.TextTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealedResultsOpenOnlyForTheirConsumer {
  private final HpkeKeyPair consumerA = HpkeKeyPair.generate();
  private final HpkeKeyPair consumerB = HpkeKeyPair.generate();
  private final JobId job = JobId.random();
  private final ResultTable table = new ResultTable(
      List.of("band", "n", "big", "mean", "exact", "flag", "day", "nan"),
      List.of(
          Arrays.asList("40-49", 120L, new BigInteger("123456789012345678901234567890"), 2.0, new BigDecimal("10.50"), true,
              LocalDate.of(2024, 2, 29), Double.NaN),
          Arrays.asList(null, 7L, null, 1234.5678, null, false, null, Double.POSITIVE_INFINITY)));
  private final List<ValueKind> kinds = List.of(
      ValueKind.STRING, ValueKind.INTEGER, ValueKind.INTEGER, ValueKind.FLOAT, ValueKind.DECIMAL, ValueKind.BOOLEAN, ValueKind.DATE, ValueKind.FLOAT);

  @Test
  void theConsumerOpensExactlyWhatWasSealed() {
    byte[] sealed = ResultTable.seal(table, kinds, job, consumerA.publicKey());
    ResultTable opened = ResultTable.open(sealed, consumerA, job);
    assertEquals(table.columns(), opened.columns());
    assertEquals(2.0, opened.rows().getFirst().get(3), "2.0 stays a Double");
    assertEquals(new BigDecimal("10.5"), opened.rows().getFirst().get(4));
    assertEquals(table.rows().get(0).subList(0, 4), opened.rows().get(0).subList(0, 4));
    assertEquals(table.rows().get(0).subList(5, 8), opened.rows().get(0).subList(5, 8));
    assertEquals(table.rows().get(1), opened.rows().get(1));
  }

  @Test
  void anotherConsumerCannotOpenIt() {
    byte[] sealed = ResultTable.seal(table, kinds, job, consumerA.publicKey());
    IntegrityException x = assertThrows(IntegrityException.class, () -> ResultTable.open(sealed, consumerB, job));
    assertTrue(x.getMessage().contains(job.value()), x.getMessage());
  }

  @Test
  void itCannotBePassedOffAsAnotherJobsResult() {
    byte[] sealed = ResultTable.seal(table, kinds, job, consumerA.publicKey());
    assertThrows(IntegrityException.class, () -> ResultTable.open(sealed, consumerA, JobId.random()));
  }

  @Test
  void alteredOrTruncatedBytesAreRejected() {
    byte[] sealed = ResultTable.seal(table, kinds, job, consumerA.publicKey());
    byte[] altered = sealed.clone();
    altered[altered.length - 1] ^= 1;
    assertThrows(IntegrityException.class, () -> ResultTable.open(altered, consumerA, job));
    assertThrows(IntegrityException.class, () -> ResultTable.open(Arrays.copyOf(sealed, 1), consumerA, job));
  }

  @Test
  void rendersAsAnAlignedTerminalTable() {
    ResultTable small = new ResultTable(List.of("band", "n"), List.of(List.of("0-9", 12L), List.of("10-19", 130L)));
    assertEquals("band     n\n-----  ---\n0-9     12\n10-19  130\n", small.render());
    assertEquals(TextTable.withHeaders("band", "n").row("0-9", 12L).row("10-19", 130L).render(), small.render());
  }
}
