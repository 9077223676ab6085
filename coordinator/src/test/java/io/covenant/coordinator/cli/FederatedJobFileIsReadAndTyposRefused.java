package io.covenant.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job file's {@code "federated"} section becomes a federated training with the documented defaults, round-trips
 * through the computation's JSON (what the consumer signs), and a misspelt field or a noise without clipping is
 * refused, naming what to fix, before anything is submitted.
 */
class FederatedJobFileIsReadAndTyposRefused {
  @TempDir Path dir;

  private Path file(String federated) throws IOException {
    Path f = dir.resolve("job.json");
    Files.writeString(f, """
        {"consumer": "insurer-x", "purpose": "readmission-model", "engine": "fl",
         "datasets": ["hospital-a/readmissions", "hospital-b/readmissions"], "federated": %s}
        """.formatted(federated));
    return f;
  }

  @Test
  void aFederatedSectionBecomesAFederatedTraining() throws IOException {
    JobFile job = JobFile.read(file("{\"features\": [\"age\", \"comorbidity\"], \"label\": \"readmitted\", \"noiseMultiplier\": 0.5, \"clippingNorm\": 1}"));
    assertEquals(Engine.FL, job.engine());
    Computation.FederatedTraining f = (Computation.FederatedTraining) job.computation();
    assertEquals(List.of("age", "comorbidity"), f.features());
    assertEquals(Computation.FederatedTraining.LOGISTIC_REGRESSION, f.model());
    assertEquals(15, f.rounds());
    assertEquals(0, f.learningRate().compareTo(new BigDecimal("0.1")));
    assertTrue(f.differentiallyPrivate());
    assertEquals(f, Computation.fromJson(f.toJson()));
    assertEquals(f.hash(io.covenant.core.crypto.CryptoSuite.INTL), Computation.fromJson(f.toJson()).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void aMisspeltFieldIsNamed() throws IOException {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> JobFile.read(file("{\"features\": [\"age\"], \"label\": \"readmitted\", \"rouds\": 5}")));
    assertTrue(e.getMessage().contains("field 'federated.rouds' is not part of a job file"), e.getMessage());
  }

  @Test
  void noiseWithoutClippingIsRefused() throws IOException {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> JobFile.read(file("{\"features\": [\"age\"], \"label\": \"readmitted\", \"noiseMultiplier\": 1}")));
    assertTrue(e.getMessage().contains("noise without clipping bounds nothing"), e.getMessage());
  }

  @Test
  void theLabelAmongTheFeaturesIsRefused() throws IOException {
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> JobFile.read(file("{\"features\": [\"age\", \"readmitted\"], \"label\": \"readmitted\"}")));
    assertTrue(e.getMessage().contains("also listed as a feature"), e.getMessage());
  }
}
