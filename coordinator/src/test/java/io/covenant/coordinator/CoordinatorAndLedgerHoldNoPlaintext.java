package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.job.JobState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays the curious coordinator operator and the curious auditor: after a job has run, everything the coordinator
 * stores (its database) and everything the ledger holds is searched for the hospitals' plaintext values. The
 * encrypted blocks are searched too: ciphertext must not carry a value either.
 */
class CoordinatorAndLedgerHoldNoPlaintext {
  @TempDir Path dir;

  @Test
  void noClaimCostDiagnosisOrPatientIdIsStoredOutsideTheEnclave() throws IOException {
    int rows = 1500;
    try (SmallFederation f = new SmallFederation(dir, rows)) {
      assertEquals(JobState.COMMITTED, f.submit(HospitalInsurerDemo.STATISTICS_SQL).state());
    }
    List<byte[]> secrets = plaintextValues(rows);
    assertTrue(secrets.size() > 100);
    for (String area : List.of("coordinator", "ledger", "blocks")) {
      byte[] all = StoredBytes.under(dir.resolve(area));
      assertTrue(all.length > 0, area + " is empty");
      for (byte[] s : secrets) {
        assertEquals(-1, indexOf(all, s), area + " contains the plaintext value " + printable(s));
      }
    }
  }

  /** Distinctive values of the first hospital's data: full ICD-10 codes, patient ids, claim costs (text and IEEE bytes). */
  private static List<byte[]> plaintextValues(int rows) {
    Set<String> texts = new LinkedHashSet<>();
    List<byte[]> out = new ArrayList<>();
    var h = HospitalInsurerDemo.HOSPITALS.get(0);
    try (RootAllocator a = new RootAllocator(); var batches = SyntheticClaims.generate(a, h.seed(), rows, h.costLevel(), rows)) {
      var root = batches.next();
      VarCharVector patient = (VarCharVector) root.getVector("patient_id");
      VarCharVector diagnosis = (VarCharVector) root.getVector("diagnosis");
      Float8Vector cost = (Float8Vector) root.getVector("claim_cost");
      for (int i = 0; i < 200; i++) {
        texts.add(new String(patient.get(i), StandardCharsets.US_ASCII));
        String code = new String(diagnosis.get(i), StandardCharsets.US_ASCII);
        if (code.length() >= 5) texts.add(code);
        texts.add(String.format("%.2f", cost.get(i)));
        out.add(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(cost.get(i)).array());
        out.add(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(cost.get(i)).array());
      }
    }
    for (String t : texts) out.add(t.getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static String printable(byte[] b) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    return s.chars().allMatch(c -> c >= 32 && c < 127) ? "'" + s + "'" : java.util.HexFormat.of().formatHex(b);
  }
}
