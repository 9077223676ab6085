package io.covenant.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.CovenantException;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a bench writes for its peer (issue 19) hold exactly the data our side computed on: the {@code .npy} arrays
 * read back bit for bit with NumPy's header layout, the PSI id files hold our parties' ids with the expected overlap,
 * the FL files our hospitals' rows; and a peer's figures are read from its {@code covenant-peer} lines only.
 */
class PeerDataFilesRoundTrip {
  @TempDir Path dir;

  @Test
  void aMatrixOfDoublesReadsBackBitForBitWithNumpysHeaderLayout() throws IOException {
    double[][] rows = {{1.5, -0.0, Double.MIN_VALUE}, {Double.MAX_VALUE, -1e-300, Math.PI}};
    Path file = dir.resolve("m.npy");
    NpyFile.write(file, rows);
    NpyFile.Array back = NpyFile.read(file);
    assertArrayEquals(new int[] {2, 3}, back.shape());
    assertArrayEquals(new double[] {1.5, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -1e-300, Math.PI}, back.doubles());
    byte[] bytes = Files.readAllBytes(file);
    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLength) % 64, "NumPy aligns the data to 64 bytes");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), header);
    assertTrue(header.endsWith("\n"), "the header ends with a newline");
    assertEquals(10 + headerLength + 6 * 8, bytes.length);
  }

  @Test
  void aVectorAndAMatrixOfLongsReadBack() {
    Path v = dir.resolve("v.npy");
    NpyFile.write(v, new double[] {3, 2, 1});
    assertArrayEquals(new int[] {3}, NpyFile.read(v).shape());
    assertArrayEquals(new double[] {3, 2, 1}, NpyFile.read(v).doubles());
    Path l = dir.resolve("l.npy");
    long[][] longs = HeBenchmark.bfvInputs(3, 5000); // more than one write buffer
    NpyFile.write(l, longs);
    NpyFile.Array back = NpyFile.read(l);
    assertTrue(back.isInteger());
    assertArrayEquals(new int[] {3, 5000}, back.shape());
    for (int i = 0; i < 3; i++) {
      long[] row = new long[5000];
      System.arraycopy(back.longs(), i * 5000, row, 0, 5000);
      assertArrayEquals(longs[i], row);
    }
  }

  @Test
  void aRaggedMatrixOrAForeignFileIsRefused() throws IOException {
    assertThrows(CovenantException.class, () -> NpyFile.write(dir.resolve("r.npy"), new double[][] {{1, 2}, {3}}));
    Path text = Files.writeString(dir.resolve("t.npy"), "not numpy at all");
    CovenantException e = assertThrows(CovenantException.class, () -> NpyFile.read(text));
    assertTrue(e.getMessage().contains("not a version 1.0 .npy file"), e.getMessage());
  }

  @Test
  void theHeScoringFilesHoldTheRowsAndModelOurSideScores() {
    HeBenchmark.ScoringData data = HeBenchmark.scoringData(50, 4);
    Path rows = dir.resolve("rows.npy");
    NpyFile.write(rows, data.rows());
    double[] flat = NpyFile.read(rows).doubles();
    for (int i = 0; i < 50; i++) for (int j = 0; j < 4; j++) assertEquals(data.rows()[i][j], flat[i * 4 + j]);
    assertEquals(HeBenchmark.scoringData(50, 4).weights()[3], data.weights()[3], "the data is fixed by its seed");
  }

  @Test
  void thePsiFilesHoldOurPartiesIdsWithHalfInCommon() throws IOException {
    Path receiver = dir.resolve("r.txt");
    Path sender = dir.resolve("s.txt");
    PsiPeer.writeIds(receiver, sender, 1001);
    List<String> r = Files.readAllLines(receiver);
    List<String> s = Files.readAllLines(sender);
    assertEquals(1001, r.size());
    assertEquals(1001, s.size());
    assertEquals(PsiBenchmark.id(0), r.getFirst());
    assertEquals(PsiBenchmark.id(500), s.getFirst());
    Set<String> common = new HashSet<>(r);
    common.retainAll(new HashSet<>(s));
    assertEquals(1001 - 1001 / 2, common.size(), "the size the peer is told to expect");
  }

  @Test
  void theFlFilesHoldEachHospitalsRowsAndLabels() {
    FlPeer.writeData(dir, 3, 1000, 20);
    List<LabelledData> expected = ReadmissionScenario.generate(11, 3, 20);
    for (int i = 0; i < 3; i++) {
      NpyFile.Array x = NpyFile.read(dir.resolve(String.format("hospital-%02d-features.npy", i + 1)));
      assertArrayEquals(new int[] {20, ReadmissionScenario.FEATURES.size()}, x.shape());
      assertArrayEquals(expected.get(i).features().data, x.doubles());
      assertArrayEquals(expected.get(i).labels(), NpyFile.read(dir.resolve(String.format("hospital-%02d-labels.npy", i + 1))).doubles());
    }
    int hidden = FlBenchmark.hiddenUnitsFor(1000);
    assertEquals(hidden * ReadmissionScenario.FEATURES.size() + 2 * hidden + 1, NpyFile.read(dir.resolve("initial-parameters.npy")).shape()[0]);
  }

  @Test
  void aPeersFiguresAreItsPrefixedLinesOnly() {
    Map<String, String> f = PeerRun.parse(List.of("INFO: round 1", "covenant-peer psi.ms 12.5", "covenant-peer version 2.0.6 ", "covenant-peerless 3"));
    assertEquals(Map.of("psi.ms", "12.5", "version", "2.0.6"), f);
    PeerRun.Figures figures = new PeerRun.Figures("Peer", f);
    assertEquals(12.5, figures.number("psi.ms"));
    CovenantException missing = assertThrows(CovenantException.class, () -> figures.number("psi.bytes"));
    assertTrue(missing.getMessage().contains("psi.bytes"), missing.getMessage());
    assertThrows(CovenantException.class, () -> PeerRun.parse(List.of("covenant-peer lonely")));
  }
}
