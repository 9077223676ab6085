package io.covenant.mpc.model;

import io.covenant.core.error.MalformedInputException;

/**
 * Mini-batch SGD settings shared by the secure and the plaintext trainer: rows are taken in their given order, in
 * consecutive batches of {@code batchSize} (the last one may be shorter), for {@code epochs} passes; each step moves
 * the weights by {@code learningRate} times the mean gradient of the batch.
 */
public record SgdSchedule(int epochs, int batchSize, double learningRate) {
  public SgdSchedule {
    if (epochs < 1 || epochs > 1000) throw new MalformedInputException("epochs must be between 1 and 1000, not " + epochs);
    if (batchSize < 1 || batchSize > 1 << 16) {
      throw new MalformedInputException("the batch size must be between 1 and 65536 rows, not " + batchSize);
    }
    if (!(learningRate > 0) || learningRate > 16) {
      throw new MalformedInputException("the learning rate must be positive and at most 16, not " + learningRate);
    }
  }

  /** 5 epochs of 128-row batches at rate 0.5: enough for standardised features. */
  public static SgdSchedule defaults() {
    return new SgdSchedule(5, 128, 0.5);
  }
}
