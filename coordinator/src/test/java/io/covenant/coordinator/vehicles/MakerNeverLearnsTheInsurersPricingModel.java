package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.HeMessages;
import io.covenant.tee.compute.ResultTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The curious maker on the HE route: everything its side was handed (it keeps each encrypted model it evaluated in
 * {@code orgs/<maker>/vehicles/he-jobs/}), everything it keeps, the ledger, the coordinator's store and what the run
 * printed hold no weight or bias of either insurer's pricing model, in binary (8-byte doubles, either byte order) or as
 * text, while the insurers' own folders do (so the search finds what it looks for). What the maker did receive is, per
 * job, one encrypted model from the insurer whose hash is the insurer's MODEL record on the ledger: a ciphertext per
 * weight, the insurer's public key, and probe rows in the features' public ranges drawn afresh for each job (so they
 * carry nothing of the weights). Nor does the maker ever hold the decrypted scores, with which (knowing the features) it
 * could solve for the weights by least squares.
 */
class MakerNeverLearnsTheInsurersPricingModel {

  private static List<byte[]> encodings(double v) {
    List<byte[]> out = new ArrayList<>();
    out.add(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
    out.add(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
    return out;
  }

  private static List<byte[]> modelSecrets(UbiPricingModel m) {
    List<byte[]> out = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (double w : m.weights()) values.add(w);
    values.add(m.bias());
    for (double v : values) {
      out.addAll(encodings(v));
      out.add(Double.toString(v).getBytes(StandardCharsets.US_ASCII));
      out.add(BigDecimal.valueOf(v).toPlainString().getBytes(StandardCharsets.US_ASCII));
    }
    return out;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }

  private static List<Path> files(Path root, List<Path> except) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(p -> except.stream().noneMatch(p::startsWith)).toList();
    }
  }

  @Test
  void nothingOutsideTheInsurersFoldersHoldsAWeight() throws IOException {
    VehicleHeScenario s = VehicleHeScenario.get();
    List<Path> insurers = List.of(s.dir.resolve("orgs").resolve(VehiclesDemo.INSURER_A.value()), s.dir.resolve("orgs").resolve(VehiclesDemo.INSURER_B.value()));
    List<byte[]> secrets = new ArrayList<>(modelSecrets(UbiPricingModel.AURORA));
    secrets.addAll(modelSecrets(UbiPricingModel.BEACON));
    List<Path> seen = files(s.dir, insurers);
    assertTrue(seen.stream().anyMatch(p -> p.startsWith(UbiHeEngine.heJobs(s.dir, VehiclesDemo.MAKER))), "the maker's received models are among the files searched");
    for (Path f : seen) {
      byte[] content = Files.readAllBytes(f);
      for (byte[] secret : secrets) assertFalse(contains(content, secret), f + " holds a model value " + HexFormat.of().formatHex(secret));
    }
    byte[] printed = s.printed.getBytes(StandardCharsets.UTF_8);
    for (byte[] secret : secrets) assertFalse(contains(printed, secret), "the run printed a model value " + new String(secret, StandardCharsets.ISO_8859_1));
    // The search is able to find them: each insurer's own folder holds its model in clear.
    for (var e : List.of(java.util.Map.entry(insurers.get(0), UbiPricingModel.AURORA), java.util.Map.entry(insurers.get(1), UbiPricingModel.BEACON))) {
      byte[] kept = Files.readAllBytes(e.getKey().resolve("he-models").resolve(e.getValue().name() + ".json"));
      assertTrue(contains(kept, BigDecimal.valueOf(e.getValue().weights()[0]).toPlainString().getBytes(StandardCharsets.US_ASCII)),
          "the insurer keeps its own model in its folder");
    }
  }

  @Test
  void theMakerReceivedOnlyEachJobsEncryptedModel() throws IOException {
    VehicleHeScenario s = VehicleHeScenario.get();
    List<double[][]> auroraProbes = new ArrayList<>();
    try (LocalDeployment d = s.open()) {
      for (VehiclesDemo.Job j : s.outcome.jobs()) {
        Path kept = UbiHeEngine.heJobs(s.dir, VehiclesDemo.MAKER).resolve(j.outcome().job().value() + ".model");
        EncryptedModel received = HeMessages.model(Files.readAllBytes(kept), OrgId.of(j.consumer()));
        Digest recorded = null;
        for (var e : d.ledger().entriesForJob(j.outcome().job())) {
          if (e.event().event() instanceof AuditEvent.CiphertextRecorded c && c.role() == AuditEvent.CiphertextRecorded.Role.MODEL) {
            assertEquals(j.consumer(), e.event().actor().value());
            recorded = c.ciphertextHash();
          }
        }
        assertEquals(recorded, received.digest(), "what the maker evaluated is what the insurer recorded");
        assertEquals(UbiFeatures.NAMES.size() + 1, received.weights().size(), "one ciphertext per weight and one for the bias");
        assertNull(received.relinKeys(), "a linear model sends no relinearisation key");
        for (double[] probe : received.probes()) {
          for (int f = 0; f < probe.length; f++) assertTrue(probe[f] >= 0 && probe[f] <= UbiPricingModel.RANGES[f], "probes lie in the public ranges");
        }
        if (j.consumer().equals(VehiclesDemo.INSURER_A.value())) auroraProbes.add(received.probes());
      }
    }
    assertEquals(2, auroraProbes.size());
    assertNotEquals(java.util.Arrays.deepToString(auroraProbes.get(0)), java.util.Arrays.deepToString(auroraProbes.get(1)),
        "the same model's probes are drawn afresh for every job: they are no function of its weights");
  }

  @Test
  void theMakerNeverHoldsTheDecryptedScores() throws IOException {
    VehicleHeScenario s = VehicleHeScenario.get();
    List<byte[]> scores = new ArrayList<>();
    for (VehiclesDemo.Job j : s.outcome.jobs()) {
      ResultTable t = j.scores();
      int c = t.columns().indexOf("score");
      for (List<Object> row : t.rows()) scores.addAll(encodings(((Number) row.get(c)).doubleValue()));
    }
    assertFalse(scores.isEmpty());
    for (Path f : files(s.dir.resolve("orgs").resolve(VehiclesDemo.MAKER.value()), List.of())) {
      byte[] content = Files.readAllBytes(f);
      for (byte[] score : scores) assertFalse(contains(content, score), f + " holds a decrypted score");
    }
  }
}
