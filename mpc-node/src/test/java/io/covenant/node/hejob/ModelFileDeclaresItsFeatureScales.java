package io.covenant.node.hejob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.ScoringModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's model file carries one public feature scale per weight ({@code featureScales}), within which its he-score
 * probes are drawn: stored and read back as declared; a file of the first version with one {@code featureScale} applies
 * it to every feature; a file or a store with another count of scales than weights is refused, naming both counts, and
 * a refused store writes nothing.
 */
class ModelFileDeclaresItsFeatureScales {

  @Test
  void scalesAreStoredAndReadBackOnePerWeight(@TempDir Path dir) throws IOException {
    HeConsumerModels models = new HeConsumerModels(dir);
    Path file = models.save("pricing", new double[] {2.1, 35.0, 0.05}, 120, new double[] {100, 40, 30_000});
    assertTrue(Files.readString(file).contains("\"featureScales\""), Files.readString(file));
    HeConsumerModels.Stored stored = models.load("pricing", "linear");
    assertArrayEquals(new double[] {100, 40, 30_000}, stored.ranges().scales());
    assertArrayEquals(new double[] {-100, -40, -30_000}, stored.ranges().low());
    assertTrue(stored.model().link() == ScoringModel.Link.LINEAR);
  }

  @Test
  void aFirstVersionFileWithOneScaleAppliesItToEveryFeature(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("risk.json"), "{\"weights\": [0.8, -1.2, 0.5], \"bias\": 0.3, \"featureScale\": 2}");
    HeConsumerModels.Stored stored = new HeConsumerModels(dir).load("risk", "logistic");
    assertArrayEquals(new double[] {2, 2, 2}, stored.ranges().scales());
    assertTrue(stored.model().link() == ScoringModel.Link.LOGISTIC);
  }

  @Test
  void anotherCountOfScalesThanWeightsIsRefused(@TempDir Path dir) throws IOException {
    HeConsumerModels models = new HeConsumerModels(dir);
    MalformedInputException store = assertThrows(MalformedInputException.class, () -> models.save("short", new double[] {1, 2, 3}, 0, new double[] {10, 10}));
    assertTrue(store.getMessage().contains("3 weights but 2 feature scales"), store.getMessage());
    assertFalse(Files.exists(dir.resolve("short.json")), "nothing is stored");
    Files.writeString(dir.resolve("edited.json"), "{\"weights\": [1, 2, 3], \"bias\": 0, \"featureScales\": [10, 10, 10, 10]}");
    MalformedInputException load = assertThrows(MalformedInputException.class, () -> models.load("edited", "linear"));
    assertTrue(load.getMessage().contains("3 weights but 4 feature scales"), load.getMessage());
  }
}
