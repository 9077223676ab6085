package io.covenant.mpc.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Small claims tables as Arrow batches (age, diagnosis, claim_cost, patient_id), with nulls and odd codes mixed in. */
final class ClaimsBatches {
  private ClaimsBatches() {}

  record Claim(Long age, String diagnosis, Double cost, String patient) {}

  static List<Claim> random(long seed, int rows) {
    Random r = new Random(seed);
    String[] codes = {"E11.9", "I10", "J45", "C50.1", "D50", "D49", "H60", "H96", "S72", "Z00", "K21", "xyz", null, " f32 "};
    List<Claim> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Long age = r.nextInt(20) == 0 ? null : (long) r.nextInt(100) - 2;
      String code = codes[r.nextInt(codes.length)];
      Double cost = r.nextInt(25) == 0 ? null : Math.round(r.nextDouble() * 60_000 * 100) / 100.0 - 500;
      out.add(new Claim(age, code, cost, "p-" + seed + "-" + r.nextInt(rows / 2 + 1)));
    }
    return out;
  }

  static VectorSchemaRoot batch(BufferAllocator allocator, List<Claim> claims) {
    BigIntVector age = new BigIntVector("age", allocator);
    VarCharVector diagnosis = new VarCharVector("diagnosis", allocator);
    Float8Vector cost = new Float8Vector("claim_cost", allocator);
    VarCharVector patient = new VarCharVector("patient_id", allocator);
    age.allocateNew(claims.size());
    diagnosis.allocateNew(claims.size());
    cost.allocateNew(claims.size());
    patient.allocateNew(claims.size());
    for (int i = 0; i < claims.size(); i++) {
      Claim c = claims.get(i);
      if (c.age() == null) age.setNull(i); else age.set(i, c.age());
      if (c.diagnosis() == null) diagnosis.setNull(i); else diagnosis.setSafe(i, c.diagnosis().getBytes(StandardCharsets.UTF_8));
      if (c.cost() == null) cost.setNull(i); else cost.set(i, c.cost());
      patient.setSafe(i, c.patient().getBytes(StandardCharsets.UTF_8));
    }
    VectorSchemaRoot root = VectorSchemaRoot.of(age, diagnosis, cost, patient);
    root.setRowCount(claims.size());
    return root;
  }
}
