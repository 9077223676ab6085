package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import io.covenant.tee.training.TrainedModel;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * How the CLI shows a trained model to its consumer: what it was trained on and how well it fits, and its SHA-256
 * (the model hash RESULT_COMMITTED records). With a file, the model bytes are saved there in XGBoost's UBJSON model
 * format, which XGBoost loads as it is ({@code Booster.load_model}).
 */
final class ModelResult {
  private ModelResult() {}

  /** Prints the model; its hash is labelled with the consortium's hash, {@code suite}'s ({@code sha256} or {@code sm3}). */
  static void print(TrainedModel model, Optional<Path> out, io.covenant.core.crypto.CryptoSuite suite) {
    TextTable t = TextTable.withHeaders("model", "value").maxCellWidth(100);
    t.row(suite.hashAlgorithm().toLowerCase(java.util.Locale.ROOT).replace("-", "") + " (on the ledger)", model.modelHash().hex());
    t.row("objective", model.objective());
    t.row("label", model.label());
    t.row("features", String.join(", ", model.features()));
    t.row("training rows", model.rows());
    t.row(model.metricName() + " on the training rows", model.metric());
    System.out.print(t.render());
    if (out.isPresent()) {
      try {
        Files.write(out.get(), model.model(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        throw new CovenantException("there is already a file at " + out.get() + "; give a new file name for the model");
      } catch (IOException e) {
        throw new CovenantException("cannot write the model to " + out.get() + ": " + e.getMessage(), e);
      }
      System.out.println("model saved to " + out.get() + " (XGBoost UBJSON, " + model.model().length + " bytes)");
    } else {
      System.out.println("save the model with './covenant job result JOB --as ORG --out FILE'");
    }
  }
}
