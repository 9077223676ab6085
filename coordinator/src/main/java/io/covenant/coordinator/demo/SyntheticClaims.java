package io.covenant.coordinator.demo;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.dataset.ArrowSchemas;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hospital's synthetic inpatient claims, seeded and reproducible. Distributions follow the broad shape of real
 * inpatient data: an older-skewed age mix, diagnoses that depend on age and sex (deliveries, newborns, fractures in
 * the elderly), lengths of stay and costs that are log-normal around a per-diagnosis mean, and a per-hospital cost
 * level. No real person is behind any row.
 */
public final class SyntheticClaims {
  public static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("patient_id", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("sex", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER),
      new Column("diagnosis", ColumnType.STRING, Sensitivity.SENSITIVE),
      new Column("admission_date", ColumnType.DATE, Sensitivity.QUASI_IDENTIFIER),
      new Column("length_of_stay", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("claim_cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE)));

  /** ICD-10 code, who can have it, relative frequency, mean stay (days), base cost and cost per day (currency units). */
  private record Diagnosis(String code, int minAge, int maxAge, char sex, double weight, double meanStay, double baseCost, double perDay) {}

  private static final List<Diagnosis> DIAGNOSES = List.of(
      new Diagnosis("Z38.0", 0, 0, '*', 60, 2.5, 900, 450),
      new Diagnosis("O80", 16, 46, 'F', 45, 2.2, 2400, 600),
      new Diagnosis("J18.9", 0, 100, '*', 40, 5.5, 3100, 820),
      new Diagnosis("I10", 35, 100, '*', 30, 2.8, 1500, 640),
      new Diagnosis("E11.9", 30, 100, '*', 28, 3.6, 1800, 610),
      new Diagnosis("I21.9", 40, 100, '*', 22, 5.0, 14500, 1300),
      new Diagnosis("I50.9", 55, 100, '*', 26, 6.8, 5200, 900),
      new Diagnosis("I63.9", 50, 100, '*', 18, 8.5, 9800, 1050),
      new Diagnosis("N18.3", 45, 100, '*', 12, 4.5, 4100, 800),
      new Diagnosis("C50.9", 30, 95, 'F', 12, 4.0, 11800, 950),
      new Diagnosis("C34.9", 45, 95, '*', 10, 7.5, 13900, 1150),
      new Diagnosis("K35.8", 5, 80, '*', 20, 2.6, 6200, 900),
      new Diagnosis("K80.2", 25, 95, '*', 16, 3.0, 5600, 780),
      new Diagnosis("S72.0", 60, 100, '*', 16, 9.5, 12500, 980),
      new Diagnosis("S06.0", 2, 90, '*', 9, 1.8, 1900, 700),
      new Diagnosis("F32.9", 15, 90, '*', 14, 12.0, 3000, 520),
      new Diagnosis("M17.1", 50, 95, '*', 14, 4.2, 15200, 700),
      new Diagnosis("J44.1", 45, 100, '*', 17, 6.0, 4300, 850),
      new Diagnosis("J45.9", 1, 70, '*', 10, 2.4, 1700, 650),
      new Diagnosis("A41.9", 0, 100, '*', 11, 9.0, 17500, 1500),
      new Diagnosis("R07.4", 20, 100, '*', 15, 1.5, 1300, 600));

  private SyntheticClaims() {}

  /**
   * Batches of {@code rows} claims for one hospital. {@code seed} fixes the rows; {@code costLevel} scales costs
   * (hospitals differ in price level). One root is reused: each batch is valid until the next call to {@code next()}.
   */
  public static Batches generate(BufferAllocator allocator, long seed, int rows, double costLevel, int batchRows) {
    return new Batches(allocator, seed, rows, costLevel, batchRows);
  }

  public static final class Batches implements Iterator<VectorSchemaRoot>, AutoCloseable {
    private final SplittableRandom random;
    private final VectorSchemaRoot root;
    private final double costLevel;
    private final int batchRows;
    private final double totalWeight = DIAGNOSES.stream().mapToDouble(Diagnosis::weight).sum();
    private int remaining;

    private Batches(BufferAllocator allocator, long seed, int rows, double costLevel, int batchRows) {
      this.random = new SplittableRandom(seed);
      this.root = VectorSchemaRoot.create(ArrowSchemas.toArrow(SCHEMA), allocator);
      this.costLevel = costLevel;
      this.batchRows = batchRows;
      this.remaining = rows;
    }

    @Override
    public boolean hasNext() {
      return remaining > 0;
    }

    @Override
    public VectorSchemaRoot next() {
      if (remaining <= 0) throw new NoSuchElementException();
      int n = Math.min(batchRows, remaining);
      remaining -= n;
      root.getFieldVectors().forEach(v -> v.setInitialCapacity(n));
      root.allocateNew();
      VarCharVector patient = (VarCharVector) root.getVector("patient_id");
      BigIntVector age = (BigIntVector) root.getVector("age");
      VarCharVector sex = (VarCharVector) root.getVector("sex");
      VarCharVector diagnosis = (VarCharVector) root.getVector("diagnosis");
      DateDayVector admitted = (DateDayVector) root.getVector("admission_date");
      BigIntVector stay = (BigIntVector) root.getVector("length_of_stay");
      Float8Vector cost = (Float8Vector) root.getVector("claim_cost");
      long firstDay = LocalDate.of(2025, 1, 1).toEpochDay();
      for (int i = 0; i < n; i++) {
        int a = sampleAge();
        char s = random.nextDouble() < 0.52 ? 'F' : 'M';
        Diagnosis d = sampleDiagnosis(a, s);
        int los = Math.max(1, (int) Math.round(logNormal(d.meanStay(), 0.55)));
        double c = (d.baseCost() + d.perDay() * los) * logNormal(1.0, 0.30) * costLevel;
        patient.setSafe(i, String.format("P%012x", random.nextLong() & 0xffffffffffffL).getBytes(StandardCharsets.US_ASCII));
        age.set(i, a);
        sex.setSafe(i, new byte[] {(byte) s});
        diagnosis.setSafe(i, d.code().getBytes(StandardCharsets.US_ASCII));
        admitted.set(i, (int) (firstDay + random.nextInt(365)));
        stay.set(i, los);
        cost.set(i, Math.round(c * 100) / 100.0);
      }
      root.setRowCount(n);
      return root;
    }

    private int sampleAge() {
      double u = random.nextDouble();
      if (u < 0.05) return 0;
      if (u < 0.17) return 1 + random.nextInt(17);
      if (u < 0.55) return 18 + random.nextInt(47);
      return Math.min(100, 65 + (int) Math.abs(random.nextGaussian() * 12));
    }

    private Diagnosis sampleDiagnosis(int age, char sex) {
      while (true) {
        double u = random.nextDouble() * totalWeight;
        for (Diagnosis d : DIAGNOSES) {
          u -= d.weight();
          if (u <= 0) {
            if (age >= d.minAge() && age <= d.maxAge() && (d.sex() == '*' || d.sex() == sex)) return d;
            break;
          }
        }
      }
    }

    /** A log-normal draw whose median is {@code median}. */
    private double logNormal(double median, double sigma) {
      return median * Math.exp(sigma * random.nextGaussian());
    }

    @Override
    public void close() {
      root.close();
    }
  }
}
